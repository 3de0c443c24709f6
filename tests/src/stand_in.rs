//! A stand-in company token server: a real HTTP/1.1 listener on loopback
//! that answers what the test queues (a status and body, or nothing at
//! all) and records what it was asked (path and query, headers).

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// One answer of the stand-in.
#[derive(Clone, Debug)]
pub enum Reply {
    /// HTTP status, content type and body.
    Answer(u16, &'static str, String),
    /// Keep the connection open and never answer.
    Hang,
    /// A redirect: the status (301, 302, 307, 308) and where to.
    Redirect(u16, String),
}

impl Reply {
    pub fn json(body: serde_json::Value) -> Reply {
        Reply::Answer(200, "application/json", body.to_string())
    }
}

/// One request as the stand-in received it.
#[derive(Clone, Debug)]
pub struct Asked {
    /// Path and query, e.g. `/token?appid=wx...&stale=...`.
    pub target: String,
    pub method: String,
    /// Header names lower-cased.
    pub headers: Vec<(String, String)>,
    /// The request's body, as text.
    pub body: String,
}

impl Asked {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == &name.to_ascii_lowercase()).map(|(_, v)| v.as_str())
    }
}

#[derive(Default)]
struct Shared {
    replies: VecDeque<Reply>,
    /// Answered when the queue is empty.
    default: Option<Reply>,
    asked: Vec<Asked>,
}

pub struct TokenStandIn {
    port: u16,
    shared: Arc<Mutex<Shared>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl TokenStandIn {
    pub fn start() -> TokenStandIn {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the stand-in token server");
        let port = listener.local_addr().expect("its address").port();
        let shared = Arc::new(Mutex::new(Shared::default()));
        let stop = Arc::new(AtomicBool::new(false));
        let (served, stopping) = (shared.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stopping.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let shared = served.clone();
                let stopping = stopping.clone();
                std::thread::spawn(move || serve(stream, &shared, &stopping));
            }
        });
        TokenStandIn { port, shared, stop, thread: Some(thread) }
    }

    /// Its URL for `path` (which may carry a query and `{appid}`).
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Queues the next answers, in order.
    pub fn queue(&self, replies: impl IntoIterator<Item = Reply>) {
        self.shared.lock().unwrap().replies.extend(replies);
    }

    /// The answer once the queue is used up.
    pub fn always(&self, reply: Reply) {
        self.shared.lock().unwrap().default = Some(reply);
    }

    pub fn asked(&self) -> Vec<Asked> {
        self.shared.lock().unwrap().asked.clone()
    }
}

impl Drop for TokenStandIn {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn serve(stream: TcpStream, shared: &Mutex<Shared>, stopping: &AtomicBool) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut reader = BufReader::new(match stream.try_clone() {
        Ok(s) => s,
        Err(_) => return,
    });
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        return;
    }
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or("").to_owned();
    let target = parts.next().unwrap_or("").to_owned();
    let mut headers = Vec::new();
    let mut length = 0usize;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).unwrap_or(0) == 0 || header.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            let (name, value) = (name.trim().to_ascii_lowercase(), value.trim().to_owned());
            if name == "content-length" {
                length = value.parse().unwrap_or(0);
            }
            headers.push((name, value));
        }
    }
    let mut body = vec![0; length];
    let _ = reader.read_exact(&mut body);
    let reply = {
        let mut shared = shared.lock().unwrap();
        let body = String::from_utf8_lossy(&body).into_owned();
        shared.asked.push(Asked { target, method, headers, body });
        shared.replies.pop_front().or_else(|| shared.default.clone())
    };
    let mut stream = stream;
    match reply {
        Some(Reply::Answer(status, content_type, body)) => {
            let head = format!(
                "HTTP/1.1 {status} X\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(body.as_bytes());
        }
        Some(Reply::Redirect(status, location)) => {
            let head = format!(
                "HTTP/1.1 {status} X\r\nLocation: {location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
            let _ = stream.write_all(head.as_bytes());
        }
        Some(Reply::Hang) => {
            // Hold the connection until the stand-in stops.
            while !stopping.load(Ordering::SeqCst) {
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        None => {
            let _ = stream.write_all(b"HTTP/1.1 500 X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        }
    }
}
