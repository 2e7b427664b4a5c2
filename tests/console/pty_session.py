"""Drives the q console through a pseudo-terminal, as a person at a keyboard would: arrow keys
and history, Ctrl-C at the prompt and during an evaluation, the q)) debug prompt, output that
appears while an entry still runs, SIGTERM at the prompt. Usage: pty_session.py PATH_TO_Q.
Exits non-zero (with the transcript) on the first expectation not met; every wait is bounded."""

import os
import pty
import select
import signal
import sys
import termios
import time

Q = sys.argv[1]
TIMEOUT = 20.0


class Session:
    def __init__(self):
        pid, fd = pty.fork()
        if pid == 0:
            os.environ["TERM"] = "xterm"
            os.execv(Q, [Q])
        self.pid, self.fd = pid, fd
        self.seen = b""  # everything read so far
        self.mark = 0  # expectations look after this point

    def send(self, data):
        os.write(self.fd, data.encode() if isinstance(data, str) else data)

    def expect(self, text):
        """Waits until `text` appears after the mark; moves the mark past it."""
        want = text.encode()
        deadline = time.time() + TIMEOUT
        while True:
            at = self.seen.find(want, self.mark)
            if at >= 0:
                self.mark = at + len(want)
                return
            left = deadline - time.time()
            if left <= 0:
                self.fail("timed out waiting for %r" % text)
            r, _, _ = select.select([self.fd], [], [], left)
            if r:
                try:
                    chunk = os.read(self.fd, 4096)
                except OSError:
                    chunk = b""
                if not chunk:
                    self.fail("q ended while waiting for %r" % text)
                self.seen += chunk

    def fail(self, why):
        sys.stderr.write("FAILED: %s\n--- transcript ---\n%r\n" % (why, self.seen.decode("utf-8", "replace")))
        try:
            os.kill(self.pid, 9)
        except OSError:
            pass
        sys.exit(1)

    def close(self):
        self.send("\\\\\r")
        deadline = time.time() + TIMEOUT
        while time.time() < deadline:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                return os.WEXITSTATUS(status) if os.WIFEXITED(status) else -1
            try:
                select.select([self.fd], [], [], 0.1)
                os.read(self.fd, 4096)
            except OSError:
                pass
        self.fail("q did not exit on \\\\")


LEFT, RIGHT, UP, DOWN = "\x1b[D", "\x1b[C", "\x1b[A", "\x1b[B"
HOME, END, DELETE = "\x1b[H", "\x1b[F", "\x1b[3~"

s = Session()
s.expect("q)")

# Line editing: move left past "*3", rub out the 2, type 4: "4*3".
s.send("2*3" + LEFT + LEFT + "\x7f" + "4\r")
s.expect("\n12\r\n")
s.expect("q)")
# History: up brings the entry back; edit it at the start and the end.
s.send(UP + HOME + "10+" + END + "0\r")
s.expect("\n130\r\n")
s.expect("q)")
# Escape sequences never reach the line: a bracket from an arrow would be 'parse or worse.
s.send("1" + RIGHT + DOWN + "\x1b[15~" + "\x1bOP" + "+1\r")
s.expect("\n2\r\n")
s.expect("q)")
s.send("a" + DELETE + LEFT + DELETE + "3\r")
s.expect("\n3\r\n")
s.expect("q)")

# Ctrl-C while writing a line abandons it; the session goes on.
s.send("1+1000")
s.send("\x03")
s.expect("q)")
s.send("2+2\r")
s.expect("\n4\r\n")
s.expect("q)")

# Output appears as it is printed: "first" shows while the loop still runs; Ctrl-C stops it.
s.send("show `first;while[1b;]\r")
s.expect("first")
time.sleep(0.2)
s.send("\x03")
s.expect("'stop")
s.expect("q)")
s.send("1+1\r")
s.expect("\n2\r\n")

# Inside a function, Ctrl-C suspends at the debug prompt; \ leaves it.
s.send("f:{n::0;while[1b;n+:1]}\r")
s.expect("q)")
s.send("f[]\r")
time.sleep(0.3)
s.send("\x03")
s.expect("'stop")
s.expect("q))")
s.send("n>0\r")
s.expect("1b")
s.expect("q))")
s.send("\\\r")
s.expect("q)")

# An error in a function: the error, its location with a caret, the q)) prompt, locals visible.
s.send("g:{[a;b] c:a*2; c+b}\r")
s.expect("q)")
s.send("g[3;`x]\r")
s.expect("'type\r\n  [1]  g:{[a;b] c:a*2; c+b}\r\n" + " " * 24 + "^\r\n")
s.expect("q))")
s.send("c\r")
s.expect("6")
s.send(".z.ey\r")
s.expect("6\r\n`x")
s.send(":42\r")
s.expect("42")
s.expect("q)")
s.send("2+\"hi\"\r")
s.expect("'type\r\n  [0]  2+\"hi\"\r\n        ^\r\n")
s.expect("q)")

# read0 0 reads a line typed at the console, after what the function printed (ref/read0.md).
s.send("rl:{1\">> \";read0 0}\r")
s.expect("q)")
s.send("rl`\r")
s.expect(">> ")
s.send("xiskso\r")
s.expect("\"xiskso\"\r\n")
s.expect("q)")

code = s.close()
if code != 0:
    s.fail("exit status %d" % code)

# SIGTERM at the prompt is `exit 0` (.z.exit runs), and the terminal gets back the settings
# it had before the line editor's raw mode.
s = Session()
s.expect("q)")
s.send(".z.exit:{-1\"bye \",string x}\r")
s.expect("\r\n")
s.expect("q)")
time.sleep(0.2)
os.kill(s.pid, signal.SIGTERM)
s.expect("bye 0")
deadline = time.time() + TIMEOUT
while True:
    pid, status = os.waitpid(s.pid, os.WNOHANG)
    if pid:
        break
    if time.time() > deadline:
        s.fail("q did not exit on SIGTERM")
    time.sleep(0.05)
if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
    s.fail("SIGTERM: status %r" % status)
lflag = termios.tcgetattr(s.fd)[3]
if not (lflag & termios.ICANON and lflag & termios.ECHO):
    s.fail("the terminal was left in raw mode")
print("ok")
