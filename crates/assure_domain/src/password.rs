//! The password rule, after the NCSC's guidance: length over complexity, no composition rules,
//! a deny-list of passwords that attackers try first, and nothing derived from the account.

/// At least 12 characters: NCSC suggests three random words, which are longer than that.
pub const MIN_LENGTH: usize = 12;
/// Long enough for any passphrase, short enough that hashing it cannot be used to waste CPU.
pub const MAX_LENGTH: usize = 128;

const DENY_LIST: &str = include_str!("common_passwords.txt");

/// Checks a new password for `email`'s account; the message says exactly what to change.
pub fn check_new_password(password: &str, email: &str) -> Result<(), String> {
    let length = password.chars().count();
    if length < MIN_LENGTH {
        return Err(format!("Password must be {MIN_LENGTH} characters or more; three random words work well"));
    }
    if length > MAX_LENGTH {
        return Err(format!("Password must be {MAX_LENGTH} characters or fewer"));
    }
    let lowered = password.to_lowercase();
    let squashed: String = lowered.chars().filter(|c| c.is_alphanumeric()).collect();
    if DENY_LIST
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .any(|common| lowered == common || squashed == common || (common.len() >= 8 && squashed.contains(common)))
    {
        return Err("Password is too common: choose one that people do not often use".into());
    }
    let local = email.split('@').next().unwrap_or_default().to_lowercase();
    if local.len() >= 4 && lowered.contains(&local) {
        return Err("Password must not contain your email address".into());
    }
    if lowered.contains("assure") && squashed.len() < MIN_LENGTH + 6 {
        return Err("Password must not be built on the name of this service".into());
    }
    let distinct: std::collections::BTreeSet<char> = lowered.chars().collect();
    if distinct.len() < 4 {
        return Err("Password repeats too few characters: choose one that is harder to guess".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_three_random_words() {
        assert_eq!(check_new_password("correct horse battery", "lead@example.org"), Ok(()));
    }

    #[test]
    fn refuses_by_length_common_use_account_and_repetition() {
        let cases = [
            ("short pass", "12 characters or more"),
            ("Password1234", "too common"),
            ("Passw0rd2024!", "too common"),
            ("qwertyuiop123", "too common"),
            ("iloveyou12345", "too common"),
            ("mary.jones.rocks", "email address"),
            ("aaaaaaaaaaaaaaaa", "too common"),
            ("abababababababab", "too few characters"),
        ];
        for (password, expected) in cases {
            let message = check_new_password(password, "mary.jones@example.org").expect_err(password);
            assert!(message.contains(expected), "{password}: {message}");
        }
        assert!(check_new_password(&"x".repeat(MAX_LENGTH + 1), "a@example.org").is_err());
    }
}

/// Single-use recovery codes for two-step sign-in: 16 characters of a 31-letter alphabet (79
/// random bits) without the easily confused 0/O and 1/I/L, shown in groups of four.
pub mod recovery {
    /// The letters a code is made of.
    pub const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    /// Characters in a code.
    pub const LENGTH: usize = 16;
    /// Codes given at a time.
    pub const COUNT: usize = 10;

    /// A code as typed (any case, with or without spaces and dashes), as its 16 characters; None
    /// when it cannot be a recovery code (a 6-digit authenticator code, say).
    pub fn normalise(typed: &str) -> Option<String> {
        let code: String =
            typed.chars().filter(|c| !c.is_whitespace() && *c != '-').map(|c| c.to_ascii_uppercase()).collect();
        (code.len() == LENGTH && code.bytes().all(|b| ALPHABET.contains(&b))).then_some(code)
    }

    /// A code as people read and type it: "ABCD-EFGH-JKMN-PQRS".
    pub fn shown(code: &str) -> String {
        code.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join("-")
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn codes_are_read_however_they_are_typed() {
            assert_eq!(normalise(" abcd-efgh jkmn-pqrs "), Some("ABCDEFGHJKMNPQRS".to_owned()));
            assert_eq!(normalise("123456"), None, "an authenticator code is not a recovery code");
            assert_eq!(normalise("ABCD-EFGH-JKMN-PQR0"), None, "0 is not in the alphabet");
            assert_eq!(shown("ABCDEFGHJKMNPQRS"), "ABCD-EFGH-JKMN-PQRS");
        }
    }
}
