//! Real web servers on loopback for the verification-file doctor: a small
//! HTTP/1.1 server whose answer depends on the Host asked for (so one
//! server plays many web sites, reached through `--connect-to`), and an
//! HTTPS server with a self-signed certificate (`openssl s_server`).

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crate::process::{GroupChild, free_port, wait_until};

/// What the server answers.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
    pub location: Option<String>,
    /// Waited before answering.
    pub delay: Duration,
    /// Waited between pieces of 64 KiB of the body: a slow line.
    pub pace: Duration,
}

impl Reply {
    pub fn new(status: u16, content_type: &'static str, body: impl Into<Vec<u8>>) -> Reply {
        Reply { status, content_type, body: body.into(), location: None, delay: Duration::ZERO, pace: Duration::ZERO }
    }
}

type Handler = dyn Fn(&str, &str) -> Reply + Send + Sync;

/// An HTTP server on 127.0.0.1 that answers `handler(host, path)`; stopped on drop.
pub struct WebServer {
    port: u16,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl WebServer {
    pub fn start(handler: impl Fn(&str, &str) -> Reply + Send + Sync + 'static) -> WebServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the web server");
        let port = listener.local_addr().expect("its address").port();
        let stop = Arc::new(AtomicBool::new(false));
        let handler: Arc<Handler> = Arc::new(handler);
        let stopping = stop.clone();
        let thread = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stopping.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let handler = handler.clone();
                std::thread::spawn(move || answer(stream, &*handler));
            }
        });
        WebServer { port, stop, thread: Some(thread) }
    }

    pub fn port(&self) -> u16 {
        self.port
    }
}

impl Drop for WebServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so that it sees the flag.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn answer(mut stream: TcpStream, handler: &Handler) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 16 << 10 {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    let head = String::from_utf8_lossy(&head);
    let path = head.split_whitespace().nth(1).unwrap_or("/").to_owned();
    let host = head
        .lines()
        .find_map(|line| line.split_once(':').filter(|(name, _)| name.eq_ignore_ascii_case("host")).map(|(_, v)| v))
        .map(|v| v.trim().split(':').next().unwrap_or("").to_ascii_lowercase())
        .unwrap_or_default();
    let reply = handler(&host, &path);
    std::thread::sleep(reply.delay);
    let mut out = format!(
        "HTTP/1.1 {} Test\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n",
        reply.status,
        reply.content_type,
        reply.body.len()
    );
    if let Some(location) = &reply.location {
        out.push_str(&format!("Location: {location}\r\n"));
    }
    out.push_str("\r\n");
    let _ = stream.write_all(out.as_bytes());
    for piece in reply.body.chunks(64 << 10) {
        // A client that went away ends the answer.
        if stream.write_all(piece).is_err() {
            return;
        }
        std::thread::sleep(reply.pace);
    }
}

/// `openssl s_server -WWW` serving `root` over HTTPS with a self-signed
/// certificate for `host`: what a web site without a valid certificate is.
pub struct SelfSignedServer {
    port: u16,
    _child: GroupChild,
    _dir: tempfile::TempDir,
}

impl SelfSignedServer {
    pub fn start(root: &Path, host: &str) -> SelfSignedServer {
        let dir = tempfile::tempdir().expect("a folder for the certificate");
        let (cert, key) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
        let made = Command::new("openssl")
            .args(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj"])
            .arg(format!("/CN={host}"))
            .arg("-addext")
            .arg(format!("subjectAltName=DNS:{host}"))
            .arg("-keyout")
            .arg(&key)
            .arg("-out")
            .arg(&cert)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("openssl is installed (scripts/setup.sh test)");
        assert!(made.success(), "openssl made no certificate");
        let port = free_port();
        let mut command = Command::new("openssl");
        command
            .args(["s_server", "-quiet", "-WWW", "-accept"])
            .arg(format!("127.0.0.1:{port}"))
            .arg("-cert")
            .arg(&cert)
            .arg("-key")
            .arg(&key)
            .current_dir(root)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let child = GroupChild::spawn("openssl s_server", &mut command).expect("start openssl s_server");
        assert!(
            wait_until(Duration::from_secs(10), || TcpStream::connect(("127.0.0.1", port)).is_ok()),
            "openssl s_server did not listen on {port}"
        );
        SelfSignedServer { port, _child: child, _dir: dir }
    }

    pub fn port(&self) -> u16 {
        self.port
    }
}

/// WeChat's verification file of `appid`, asked of `sim` as the app would,
/// and a web site on loopback that serves it at `/{folder}/NAME` only (a
/// 404 page anywhere else, the site's top level included).
pub async fn serve_verification_file(
    sim: &qrjump::sim::Simulator,
    appid: &str,
    folder: &str,
) -> (WebServer, qrjump::wechat::VerificationFile) {
    use qrjump::wechat::{Account, Client, Credentials, Secret};
    let account =
        Account::new(Credentials::AccessToken { token: Secret::new(sim.issue_token(appid)), expires_at: None });
    let file = Client::new(&sim.base_url()).unwrap().download_verification_file(&account).await.unwrap();
    let (served, content) = (format!("/{folder}/{}", file.file_name), file.file_content.clone());
    let web = WebServer::start(move |_, path| {
        if path == served {
            Reply::new(200, "text/plain", content.clone())
        } else {
            Reply::new(404, "text/html", "<html>404</html>")
        }
    });
    (web, file)
}
