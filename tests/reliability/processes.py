"""Start the reliability driver as a real process on the test's database and read its lines with a
deadline (a reader thread feeds a queue, so a silent process fails the test instead of hanging it)."""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
from pathlib import Path

from bot.config import Settings

DRIVER = Path(__file__).with_name("driver.py")


class Driver:
    def __init__(self, settings: Settings, *args: str):
        env = {k: v for k, v in os.environ.items() if not k.startswith("CPCBOT_")}
        env["CPCBOT_DATA_DIR"] = str(settings.data_dir)
        if settings.database_url:
            env["CPCBOT_DATABASE_URL"] = settings.database_url.get_secret_value()
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        self.stderr_path = settings.data_dir / f"driver-{os.getpid()}-{id(self)}.err"
        self._stderr = self.stderr_path.open("w")
        self.proc = subprocess.Popen(
            [sys.executable, str(DRIVER), *args],
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            text=True,
            env=env,
            cwd=settings.data_dir,
        )
        self.lines: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        assert self.proc.stdout is not None
        try:
            for line in self.proc.stdout:
                self._queue.put(line.rstrip("\n"))
        except (ValueError, OSError):  # closed by close() after the process died
            pass
        self._queue.put(None)

    def next_line(self, timeout: float = 60) -> str | None:
        """The next line, or None at end of output."""
        try:
            line = self._queue.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"driver silent for {timeout} s; stderr: {self.errors()}") from None
        if line is not None:
            self.lines.append(line)
        return line

    def wait_for(self, predicate, timeout: float = 60) -> str:  # type: ignore[no-untyped-def]
        while True:
            line = self.next_line(timeout)
            if line is None:
                raise AssertionError(f"driver ended first (exit {self.proc.wait()}); stderr: {self.errors()}")
            if predicate(line):
                return line

    def kill(self) -> None:
        """SIGKILL, then every line it had written before dying."""
        self.proc.kill()
        self.proc.wait(timeout=30)
        while self.next_line() is not None:
            pass

    def finish(self, timeout: float = 60) -> list[str]:
        """Read to the end and expect a clean exit."""
        while self.next_line(timeout) is not None:
            pass
        code = self.proc.wait(timeout=timeout)
        assert code == 0, f"driver exited {code}; stderr: {self.errors()}"
        return self.lines

    def errors(self) -> str:
        self._stderr.flush()
        return self.stderr_path.read_text()[-2000:]

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=30)
        self._stderr.close()
        if self.proc.stdout is not None:
            self.proc.stdout.close()
