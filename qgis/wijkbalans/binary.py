"""Finding the wijkbalans program, checking its version and running it.

Nothing here needs QGIS: the provider passes the configured path in, and `run` reports
through plain callbacks. Commands are always run with an argument list, never through a shell.
"""

import os
import queue
import re
import shutil
import subprocess
import threading

#: The environment variable that makes wijkbalans print its progress as lines (docs/OUTPUTS.md).
PROGRESS_ENV = "WIJKBALANS_PROGRESS"

#: `wijkbalans: fase: <stage>` when a stage starts.
STAGE_LINE = re.compile(r"^wijkbalans: fase: (.*)$")

#: `wijkbalans: voortgang: <engine stage> <p>%` about 100 times per engine stage.
PROGRESS_LINE = re.compile(r"^wijkbalans: voortgang: (.*) (\d+)%$")


class BinaryProblem(Exception):
    """The program is missing, does not run, or is older than the plugin's description."""


def locate(configured):
    """The program to run: the configured path when one is set, else `wijkbalans` on PATH."""
    if configured:
        if not os.path.isfile(configured) or not os.access(configured, os.X_OK):
            raise BinaryProblem(
                "wijkbalans niet gevonden op '{}' (de instelling 'wijkbalans-programma' onder "
                "Instellingen > Opties > Processing > Providers > wijkbalans); kies het "
                "programma of maak de instelling leeg om het op PATH te zoeken".format(configured)
            )
        return configured
    found = shutil.which("wijkbalans")
    if found is None:
        raise BinaryProblem(
            "wijkbalans niet gevonden: installeer het programma (zie de README) en zet het op "
            "PATH, of kies het onder Instellingen > Opties > Processing > Providers > "
            "wijkbalans > 'wijkbalans-programma'"
        )
    return found


def parse_version(text):
    """(major, minor, patch) of `0.1.0`, or None."""
    m = re.search(r"(\d+)\.(\d+)\.(\d+)", text or "")
    return tuple(int(x) for x in m.groups()) if m else None


def version_of(binary):
    """The version `binary --version` prints, as text."""
    try:
        out = subprocess.run(
            [binary, "--version"], capture_output=True, text=True, timeout=30, check=False
        )
    except OSError as e:
        raise BinaryProblem("{} start niet: {}".format(binary, e)) from e
    version = parse_version(out.stdout)
    if out.returncode != 0 or version is None or not out.stdout.startswith("wijkbalans"):
        raise BinaryProblem(
            "{} is geen wijkbalans-programma (--version gaf: {!r})".format(
                binary, (out.stdout + out.stderr).strip()
            )
        )
    return ".".join(str(v) for v in version)


def check_version(binary_version, described_version):
    """None when the program can run the described commands, else why not.

    The plugin's description was made with `described_version`; an older program lacks
    commands or flags of it. A newer one has every flag the plugin knows (flags are only
    added), so it is accepted; rebuild the plugin to see its new flags.
    """
    have, want = parse_version(binary_version), parse_version(described_version)
    if have is None or want is None:
        return "onbekende versie ({} tegen {})".format(binary_version, described_version)
    if have < want:
        return (
            "wijkbalans {} is te oud voor deze plugin (gemaakt voor {}): installeer wijkbalans "
            "{} of nieuwer".format(binary_version, described_version, described_version)
        )
    return None


def _pump(stream, name, lines):
    for line in iter(stream.readline, ""):
        lines.put((name, line.rstrip("\r\n")))
    stream.close()
    lines.put((name, None))


def run(argv, cwd, on_stage, on_progress, on_line, is_canceled, poll_s=0.1):
    """Run `argv` (a list; never a shell) in `cwd` with progress lines switched on.

    Calls `on_stage(text)` and `on_progress(percent, stage)` for the progress lines,
    `on_line(stream, text)` for every other line of standard output and standard error, and
    kills the process when `is_canceled()` turns true. Returns (exit code, stdout text,
    stderr text, canceled).
    """
    env = dict(os.environ)
    env[PROGRESS_ENV] = "lines"
    proc = subprocess.Popen(
        argv,
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        errors="replace",
    )
    lines = queue.Queue()
    pumps = [
        threading.Thread(target=_pump, args=(proc.stdout, "stdout", lines), daemon=True),
        threading.Thread(target=_pump, args=(proc.stderr, "stderr", lines), daemon=True),
    ]
    for t in pumps:
        t.start()
    out, err = [], []
    open_streams, canceled = 2, False
    while open_streams > 0:
        if not canceled and is_canceled():
            canceled = True
            proc.kill()
        try:
            name, line = lines.get(timeout=poll_s)
        except queue.Empty:
            continue
        if line is None:
            open_streams -= 1
            continue
        if name == "stdout":
            out.append(line)
            on_line(name, line)
            continue
        stage, progress = STAGE_LINE.match(line), PROGRESS_LINE.match(line)
        if stage:
            on_stage(stage.group(1))
        elif progress:
            on_progress(int(progress.group(2)), progress.group(1))
        else:
            err.append(line)
            on_line(name, line)
    code = proc.wait()
    for t in pumps:
        t.join()
    return code, "\n".join(out), "\n".join(err), canceled
