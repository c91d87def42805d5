//! A minimal SMTP server on loopback for the tests that send mail: it accepts every message and
//! keeps it with its recipients.

use std::sync::{Arc, Mutex};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

pub type Inbox = Arc<Mutex<Vec<(Vec<String>, String)>>>;

/// A minimal SMTP server that accepts everything and keeps each message with its recipients.
pub async fn smtp_sink() -> (String, Inbox) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("smtp://{}", listener.local_addr().unwrap());
    let inbox: Inbox = Arc::default();
    let kept = inbox.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let kept = kept.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                write.write_all(b"220 sink ESMTP\r\n").await.unwrap();
                let (mut data, mut rcpt, mut in_data) = (String::new(), Vec::new(), false);
                while let Ok(Some(line)) = lines.next_line().await {
                    if in_data {
                        if line == "." {
                            kept.lock().unwrap().push((std::mem::take(&mut rcpt), std::mem::take(&mut data)));
                            in_data = false;
                            write.write_all(b"250 OK\r\n").await.unwrap();
                        } else {
                            data.push_str(&line);
                            data.push('\n');
                        }
                        continue;
                    }
                    let command = line.to_ascii_uppercase();
                    let reply: &[u8] = if command.starts_with("EHLO") {
                        b"250-sink\r\n250 8BITMIME\r\n"
                    } else if command.starts_with("RCPT TO") {
                        rcpt.push(line.clone());
                        b"250 OK\r\n"
                    } else if command == "DATA" {
                        in_data = true;
                        b"354 End data with <CR><LF>.<CR><LF>\r\n"
                    } else if command == "QUIT" {
                        write.write_all(b"221 Bye\r\n").await.unwrap();
                        break;
                    } else {
                        b"250 OK\r\n"
                    };
                    write.write_all(reply).await.unwrap();
                }
            });
        }
    });
    (url, inbox)
}

/// Undoes quoted-printable soft line breaks, so that a sentence can be searched for.
/// A message's text as its reader sees it: quoted-printable soft line breaks joined and
/// escaped bytes (`=E2=80=9C`) decoded.
pub fn unfold(body: &str) -> String {
    let bytes = body.replace("=\n", "").into_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok());
        match (bytes[i], hex) {
            (b'=', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}
