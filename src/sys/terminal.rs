//! The controlling terminal: whether a descriptor is one, and raw mode for the console's line
//! editor (keys arrive one at a time, unechoed, Ctrl-C as a byte rather than a signal), put
//! back as it was when the guard is dropped, or at process exit while it lives (`exit` from
//! a timer or a client, SIGTERM at the prompt end the process with the guard still alive).

/// Whether `fd` is a terminal.
pub fn is_terminal(fd: i32) -> bool {
    // SAFETY: isatty only inspects the descriptor number.
    unsafe { libc::isatty(fd) == 1 }
}

/// The terminal's width in columns, if `fd` is a terminal that reports one.
pub fn columns(fd: i32) -> Option<usize> {
    // SAFETY: winsize is plain data; all-zero is valid.
    let mut ws: libc::winsize = unsafe { std::mem::zeroed() };
    // SAFETY: TIOCGWINSZ writes one winsize into the valid pointer given.
    let rc = unsafe { libc::ioctl(fd, libc::TIOCGWINSZ, &mut ws) };
    (rc == 0 && ws.ws_col > 0).then_some(ws.ws_col as usize)
}

/// Raw input mode on a terminal while this lives; the previous settings come back on drop.
pub struct RawMode {
    fd: i32,
    saved: libc::termios,
}

impl RawMode {
    /// Puts terminal `fd` in raw input mode (output processing stays, so `\n` still starts a
    /// new line); None when `fd` is not a terminal.
    pub fn enter(fd: i32) -> Option<RawMode> {
        // SAFETY: termios is plain data; all-zero is valid before tcgetattr fills it.
        let mut saved: libc::termios = unsafe { std::mem::zeroed() };
        // SAFETY: saved is a valid termios to write into.
        if unsafe { libc::tcgetattr(fd, &mut saved) } != 0 {
            return None;
        }
        let mut raw = saved;
        raw.c_lflag &= !(libc::ICANON | libc::ECHO | libc::ISIG | libc::IEXTEN);
        raw.c_iflag &= !(libc::ICRNL | libc::IXON | libc::INLCR | libc::IGNCR);
        raw.c_cc[libc::VMIN] = 1;
        raw.c_cc[libc::VTIME] = 0;
        // SAFETY: raw is a valid termios; TCSADRAIN applies it after pending output is sent.
        if unsafe { libc::tcsetattr(fd, libc::TCSADRAIN, &raw) } != 0 {
            return None;
        }
        *active() = Some((fd, saved));
        static AT_EXIT: std::sync::Once = std::sync::Once::new();
        AT_EXIT.call_once(|| super::process::at_exit(restore_at_exit));
        Some(RawMode { fd, saved })
    }
}

impl Drop for RawMode {
    fn drop(&mut self) {
        let mut now = active();
        // SAFETY: saved holds the settings tcgetattr returned for this descriptor.
        unsafe { libc::tcsetattr(self.fd, libc::TCSADRAIN, &self.saved) };
        *now = None;
    }
}

/// The settings to put back at exit while raw mode is on: (descriptor, saved settings).
static ACTIVE: std::sync::Mutex<Option<(i32, libc::termios)>> = std::sync::Mutex::new(None);

fn active() -> std::sync::MutexGuard<'static, Option<(i32, libc::termios)>> {
    ACTIVE.lock().unwrap_or_else(|p| p.into_inner())
}

extern "C" fn restore_at_exit() {
    // try_lock: a thread stopped while holding it must not hang the exit.
    let held = match ACTIVE.try_lock() {
        Ok(g) => g,
        Err(std::sync::TryLockError::Poisoned(p)) => p.into_inner(),
        Err(std::sync::TryLockError::WouldBlock) => return,
    };
    if let Some((fd, saved)) = *held {
        // SAFETY: saved holds the settings tcgetattr returned for this descriptor.
        unsafe { libc::tcsetattr(fd, libc::TCSADRAIN, &saved) };
    }
}
