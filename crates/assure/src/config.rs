//! The one typed configuration, from defaults < config file < `ASSURE_*` environment < flags.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::{Context, Result, anyhow, bail};
use serde::Deserialize;

/// Options that every subcommand shares. Each can come from a flag, its `ASSURE_*` variable,
/// or the config file; absent everywhere, the default in [`Config`] applies.
#[derive(Debug, Clone, clap::Args)]
pub struct ConfigArgs {
    /// A TOML file with any of the options below (keys as in `assure config print`).
    #[arg(long, env = "ASSURE_CONFIG", global = true)]
    pub config: Option<PathBuf>,
    /// Where the data lives: sqlite://PATH (default sqlite://assure.sqlite3) or postgres://USER@HOST/DB.
    #[arg(long, env = "ASSURE_DATABASE_URL", global = true, hide_env_values = true)]
    pub database_url: Option<String>,
    /// Address to listen on (default 127.0.0.1:8080).
    #[arg(long, env = "ASSURE_LISTEN", global = true)]
    pub listen: Option<String>,
    /// Mark cookies Secure: true (default) or false, only for plain-HTTP local use.
    #[arg(long, env = "ASSURE_SECURE_COOKIES", global = true)]
    pub secure_cookies: Option<String>,
    /// Trust X-Forwarded-For for the client address: only behind your own reverse proxy.
    #[arg(long, env = "ASSURE_TRUST_PROXY", global = true)]
    pub trust_proxy: Option<String>,
    /// Minutes without a request before a session ends (default 60).
    #[arg(long, env = "ASSURE_SESSION_IDLE_MINUTES", global = true)]
    pub session_idle_minutes: Option<String>,
    /// Hours after sign-in when a session ends however active (default 12).
    #[arg(long, env = "ASSURE_SESSION_ABSOLUTE_HOURS", global = true)]
    pub session_absolute_hours: Option<String>,
    /// Largest request body in bytes (default 1048576).
    #[arg(long, env = "ASSURE_MAX_BODY_BYTES", global = true)]
    pub max_body_bytes: Option<String>,
    /// Log format: text (default) or json.
    #[arg(long, env = "ASSURE_LOG_FORMAT", global = true)]
    pub log_format: Option<String>,
    /// SMTP server for reminders: smtp://HOST:PORT, smtp://HOST:PORT?tls=required or smtps://USER:PASSWORD@HOST:PORT.
    /// Unset: reminders appear in the application only.
    #[arg(long, env = "ASSURE_SMTP_URL", global = true, hide_env_values = true)]
    pub smtp_url: Option<String>,
    /// The address reminders come from (default assure@localhost).
    #[arg(long, env = "ASSURE_MAIL_FROM", global = true)]
    pub mail_from: Option<String>,
    /// The address people reach Assure at, for links in e-mail (default http://127.0.0.1:8080).
    #[arg(long, env = "ASSURE_PUBLIC_URL", global = true)]
    pub public_url: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    database_url: Option<String>,
    listen: Option<String>,
    secure_cookies: Option<bool>,
    trust_proxy: Option<bool>,
    session_idle_minutes: Option<i64>,
    session_absolute_hours: Option<i64>,
    max_body_bytes: Option<usize>,
    log_format: Option<String>,
    smtp_url: Option<String>,
    mail_from: Option<String>,
    public_url: Option<String>,
}

#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl(pub String);

impl std::fmt::Debug for DatabaseUrl {
    /// Hides any password in the URL.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&redact_url(&self.0))
    }
}

pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s + 3 => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:[redacted]{}", &url[..s + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: DatabaseUrl,
    pub listen: SocketAddr,
    pub secure_cookies: bool,
    pub trust_proxy: bool,
    pub session_idle_minutes: i64,
    pub session_absolute_hours: i64,
    pub max_body_bytes: usize,
    pub log_format: LogFormat,
    pub smtp_url: Option<DatabaseUrl>,
    pub mail_from: String,
    pub public_url: String,
}

fn parse_bool(name: &str, raw: &str) -> Result<bool> {
    match raw.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Ok(true),
        "false" | "0" | "no" | "off" => Ok(false),
        _ => bail!("{name}: \"{raw}\" is not true or false"),
    }
}

fn parse_num<T>(name: &str, raw: &str, min: T, max: T) -> Result<T>
where
    T: std::str::FromStr + PartialOrd + std::fmt::Display + Copy,
{
    let value: T = raw.trim().parse().map_err(|_| anyhow!("{name}: \"{raw}\" is not a whole number"))?;
    if value < min || value > max {
        bail!("{name}: {value} is outside {min} to {max}");
    }
    Ok(value)
}

impl Config {
    pub fn load(args: &ConfigArgs) -> Result<Config> {
        let file = match &args.config {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .with_context(|| format!("reading the config file {}", path.display()))?;
                toml::from_str::<FileConfig>(&text)
                    .with_context(|| format!("the config file {} is not valid", path.display()))?
            }
            None => FileConfig::default(),
        };
        let database_url =
            args.database_url.clone().or(file.database_url).unwrap_or_else(|| "sqlite://assure.sqlite3".to_owned());
        assure_store::Backend::from_url(&database_url)
            .map_err(|e| anyhow!("--database-url / ASSURE_DATABASE_URL: {e}"))?;
        let listen_raw = args.listen.clone().or(file.listen).unwrap_or_else(|| "127.0.0.1:8080".to_owned());
        let listen = listen_raw
            .parse()
            .map_err(|_| anyhow!("--listen / ASSURE_LISTEN: \"{listen_raw}\" is not an address like 127.0.0.1:8080"))?;
        let flag = |name: &str, cli: &Option<String>, file: Option<bool>, default: bool| -> Result<bool> {
            match cli {
                Some(raw) => parse_bool(name, raw),
                None => Ok(file.unwrap_or(default)),
            }
        };
        let secure_cookies =
            flag("--secure-cookies / ASSURE_SECURE_COOKIES", &args.secure_cookies, file.secure_cookies, true)?;
        let trust_proxy = flag("--trust-proxy / ASSURE_TRUST_PROXY", &args.trust_proxy, file.trust_proxy, false)?;
        let session_idle_minutes = match &args.session_idle_minutes {
            Some(raw) => parse_num("--session-idle-minutes / ASSURE_SESSION_IDLE_MINUTES", raw, 1, 24 * 60)?,
            None => file.session_idle_minutes.unwrap_or(60),
        };
        let session_absolute_hours = match &args.session_absolute_hours {
            Some(raw) => parse_num("--session-absolute-hours / ASSURE_SESSION_ABSOLUTE_HOURS", raw, 1, 24 * 30)?,
            None => file.session_absolute_hours.unwrap_or(12),
        };
        let max_body_bytes = match &args.max_body_bytes {
            Some(raw) => parse_num("--max-body-bytes / ASSURE_MAX_BODY_BYTES", raw, 1024, 1024 * 1024 * 1024)?,
            None => file.max_body_bytes.unwrap_or(1024 * 1024),
        };
        let log_format = match args.log_format.clone().or(file.log_format).as_deref().unwrap_or("text") {
            "text" => LogFormat::Text,
            "json" => LogFormat::Json,
            other => bail!("--log-format / ASSURE_LOG_FORMAT: \"{other}\" is not text or json"),
        };
        let smtp_url = args.smtp_url.clone().or(file.smtp_url).filter(|u| !u.is_empty());
        let mail_from = args.mail_from.clone().or(file.mail_from).unwrap_or_else(|| "assure@localhost".to_owned());
        if let Some(url) = &smtp_url {
            assure_core::mail::Mailer::new(url, &mail_from)
                .map_err(|e| anyhow!("--smtp-url / ASSURE_SMTP_URL or --mail-from: {e}"))?;
        }
        let public_url = args.public_url.clone().or(file.public_url).unwrap_or_else(|| format!("http://{listen}"));
        Ok(Config {
            database_url: DatabaseUrl(database_url),
            listen,
            secure_cookies,
            trust_proxy,
            session_idle_minutes,
            session_absolute_hours,
            max_body_bytes,
            log_format,
            smtp_url: smtp_url.map(DatabaseUrl),
            mail_from,
            public_url: public_url.trim_end_matches('/').to_owned(),
        })
    }

    /// The effective configuration as TOML, secrets redacted.
    pub fn print(&self) -> String {
        format!(
            "database_url = \"{}\"\nlisten = \"{}\"\nsecure_cookies = {}\ntrust_proxy = {}\nsession_idle_minutes = {}\nsession_absolute_hours = {}\nmax_body_bytes = {}\nlog_format = \"{}\"\nsmtp_url = \"{}\"\nmail_from = \"{}\"\npublic_url = \"{}\"\n",
            redact_url(&self.database_url.0),
            self.listen,
            self.secure_cookies,
            self.trust_proxy,
            self.session_idle_minutes,
            self.session_absolute_hours,
            self.max_body_bytes,
            if self.log_format == LogFormat::Json { "json" } else { "text" },
            self.smtp_url.as_ref().map(|u| redact_url(&u.0)).unwrap_or_default(),
            self.mail_from,
            self.public_url,
        )
    }

    pub fn core_settings(&self) -> Result<assure_core::Settings> {
        let mailer = match &self.smtp_url {
            Some(url) => Some(std::sync::Arc::new(
                assure_core::mail::Mailer::new(&url.0, &self.mail_from).map_err(|e| anyhow!(e))?,
            )),
            None => None,
        };
        Ok(assure_core::Settings {
            session_idle: chrono::Duration::minutes(self.session_idle_minutes),
            session_absolute: chrono::Duration::hours(self.session_absolute_hours),
            mailer,
            public_url: self.public_url.clone(),
            ..Default::default()
        })
    }

    pub fn web_config(&self) -> assure_web::WebConfig {
        assure_web::WebConfig {
            secure_cookies: self.secure_cookies,
            max_body_bytes: self.max_body_bytes,
            trust_proxy: self.trust_proxy,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args() -> ConfigArgs {
        ConfigArgs {
            config: None,
            database_url: None,
            listen: None,
            secure_cookies: None,
            trust_proxy: None,
            session_idle_minutes: None,
            session_absolute_hours: None,
            max_body_bytes: None,
            log_format: None,
            smtp_url: None,
            mail_from: None,
            public_url: None,
        }
    }

    #[test]
    fn defaults_apply_when_nothing_is_set() {
        let c = Config::load(&args()).expect("defaults are valid");
        assert_eq!(c.database_url.0, "sqlite://assure.sqlite3");
        assert_eq!(c.listen.to_string(), "127.0.0.1:8080");
        assert!(c.secure_cookies);
    }

    #[test]
    fn unknown_scheme_and_bad_values_are_clear_errors() {
        let mut a = args();
        a.database_url = Some("mysql://x/y".into());
        assert!(Config::load(&a).unwrap_err().to_string().contains("\"mysql\" is not supported"));
        let mut a = args();
        a.listen = Some("nowhere".into());
        assert!(Config::load(&a).unwrap_err().to_string().contains("is not an address"));
        let mut a = args();
        a.secure_cookies = Some("maybe".into());
        assert!(Config::load(&a).unwrap_err().to_string().contains("is not true or false"));
        let mut a = args();
        a.session_idle_minutes = Some("0".into());
        assert!(Config::load(&a).unwrap_err().to_string().contains("outside 1 to 1440"));
    }

    #[test]
    fn flags_and_environment_override_the_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("assure.toml");
        std::fs::write(&path, "listen = \"127.0.0.1:9000\"\nsecure_cookies = false\nsession_idle_minutes = 30\n")
            .expect("write");
        let mut a = args();
        a.config = Some(path.clone());
        let c = Config::load(&a).expect("valid");
        assert_eq!((c.listen.port(), c.secure_cookies, c.session_idle_minutes), (9000, false, 30));
        a.listen = Some("127.0.0.1:9100".into());
        assert_eq!(Config::load(&a).expect("valid").listen.port(), 9100);
        std::fs::write(&path, "colour = \"blue\"\n").expect("write");
        assert!(format!("{:#}", Config::load(&a).unwrap_err()).contains("unknown field"));
    }

    #[test]
    fn database_passwords_never_print() {
        let url = "postgres://assure:s3cret@db.internal/assure";
        assert_eq!(redact_url(url), "postgres://assure:[redacted]@db.internal/assure");
        assert!(!format!("{:?}", DatabaseUrl(url.into())).contains("s3cret"));
    }
}
