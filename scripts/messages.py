"""Translation catalogues: `update` refreshes and compiles them; `check` fails when one is stale or incomplete.

Each app keeps its own catalogue in civicdesk/<app>/locale (so apps can be worked on side by side);
the project's templates/ and config/ strings live in locale/.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LANGUAGE = "zh_Hant"
MAKEMESSAGES = ["makemessages", "--locale", LANGUAGE, "--no-location", "--no-obsolete", "--no-wrap"]


def catalogue_roots() -> list[Path]:
    if len(sys.argv) > 2:  # `update civicdesk/<app>`: only that app's catalogue
        return [ROOT / argument for argument in sys.argv[2:]]
    roots = [ROOT]
    for app in sorted((ROOT / "civicdesk").iterdir()):
        if (app / "apps.py").exists() or (app / "locale").exists():
            roots.append(app)
    return roots


def run_makemessages(root: Path) -> None:
    (root / "locale").mkdir(exist_ok=True)
    command = [sys.executable, str(ROOT / "manage.py"), *MAKEMESSAGES]
    if root == ROOT:
        for ignored in ("civicdesk/*", "tests/*", "bench/*", "scripts/*", "var/*", "docs/*"):
            command += ["--ignore", ignored]
    subprocess.run(command, cwd=root, check=True, stdout=subprocess.DEVNULL)  # noqa: S603


def po_path(root: Path) -> Path:
    return root / "locale" / LANGUAGE / "LC_MESSAGES" / "django.po"


def compile_po(po: Path, mo: Path) -> None:
    subprocess.run(["msgfmt", "--check-format", "-o", str(mo), str(po)], check=True)  # noqa: S603, S607


def keys(po: polib.POFile) -> set[tuple[str | None, str, str]]:
    return {(entry.msgctxt, entry.msgid, entry.msgid_plural) for entry in po if not entry.obsolete}


def update() -> None:
    for root in catalogue_roots():
        run_makemessages(root)
        po = po_path(root)
        if not po.exists():
            continue
        if not any(True for _entry in polib.pofile(str(po))):
            shutil.rmtree(root / "locale")  # no strings: no catalogue
            continue
        compile_po(po, po.with_suffix(".mo"))
        untranslated = [e.msgid for e in polib.pofile(str(po)) if not e.translated() or "fuzzy" in e.flags]
        if untranslated:
            print(f"{po.relative_to(ROOT)}: {len(untranslated)} strings to translate")  # noqa: T201


def check() -> int:  # noqa: PLR0912  (one readable pass over each catalogue)
    problems: list[str] = []
    for root in catalogue_roots():
        po = po_path(root)
        saved = po.read_bytes() if po.exists() else None
        try:
            run_makemessages(root)
            fresh = polib.pofile(str(po)) if po.exists() else None
        finally:
            if saved is None:
                if po.exists():
                    po.unlink()
            else:
                po.write_bytes(saved)
        fresh_keys = keys(fresh) if fresh is not None else set()
        if saved is None:
            if fresh_keys:
                problems.append(f"{po.relative_to(ROOT)} is missing: run `make messages`")
            continue
        current = polib.pofile(str(po))
        if keys(current) != fresh_keys:
            added = len(fresh_keys - keys(current))
            removed = len(keys(current) - fresh_keys)
            problems.append(f"{po.relative_to(ROOT)} is stale ({added} new, {removed} gone): run `make messages`")
        for entry in current:
            if entry.obsolete:
                continue
            if not entry.translated() or "fuzzy" in entry.flags:
                problems.append(f"{po.relative_to(ROOT)}: untranslated or fuzzy: {entry.msgid!r}")
        with tempfile.TemporaryDirectory() as tmp:
            compiled = Path(tmp) / "django.mo"
            compile_po(po, compiled)
            mo = po.with_suffix(".mo")
            if not mo.exists() or mo.read_bytes() != compiled.read_bytes():
                problems.append(f"{mo.relative_to(ROOT)} is not compiled from its .po: run `make messages`")
    for problem in problems:
        print(problem)  # noqa: T201
    if not problems:
        print("translation catalogues complete and up to date")  # noqa: T201
    return 1 if problems else 0


if __name__ == "__main__":
    action = sys.argv[1] if len(sys.argv) > 1 else "check"
    if action == "update":
        update()
    elif action == "check":
        sys.exit(check())
    else:
        sys.exit("usage: messages.py update|check")
