"""Earlier releases of product code, loaded from git history to serve as same-run baselines.

A baseline that is an old version of a product module is not kept as a copy:
``at_commit(commit, "index/compare.py")`` reads that file and every module it imports
relatively (``from .quotations import ...``), each as it was at ``commit``
(``git show COMMIT:PATH``), writes them into a temporary package, and imports it. The
package's ``__init__`` is left empty, so only the modules the baseline needs are loaded.
This needs the repository's history (a shallow clone lacks it: ``git fetch --unshallow``).
"""
from __future__ import annotations

import ast
import atexit
import importlib
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent

# compare (index/compare.py and index/quotations.py) before issue 12 rewrote it: the
# "before" of bench/quality/compare.py, the sentence-alignment share of quality/reuse.py
# and the compare time of speed/compare.py.
BEFORE_ISSUE_12 = "a647b43"


def compare_before_issue_12() -> ModuleType:
    return at_commit(BEFORE_ISSUE_12, "index/compare.py")


def at_commit(commit: str, path: str) -> ModuleType:
    """The module at ``path`` (a file directly in a package folder) as it was at ``commit``."""
    folder, _, filename = path.rpartition("/")
    package = f"_{folder.replace('/', '_')}_at_{commit}"
    target = _package_dir(package, f"{folder}/ at {commit}")
    pending = [filename.removesuffix(".py")]
    while pending:
        name = pending.pop()
        module_file = target / f"{name}.py"
        if module_file.exists():
            continue
        source = _git_show(commit, f"{folder}/{name}.py")
        module_file.write_text(source, encoding="utf-8")
        pending += sorted(_relative_imports(source))
    return importlib.import_module(f"{package}.{filename.removesuffix('.py')}")


_packages: dict[str, Path] = {}


def _package_dir(package: str, about: str) -> Path:
    if package not in _packages:
        root = Path(tempfile.mkdtemp(prefix="sourcedesk-history-"))
        atexit.register(shutil.rmtree, root, ignore_errors=True)
        (root / package).mkdir()
        (root / package / "__init__.py").write_text(f'"""{about}, from git history."""\n', encoding="utf-8")
        sys.path.insert(0, str(root))
        _packages[package] = root / package
    return _packages[package]


def _git_show(commit: str, path: str) -> str:
    done = subprocess.run(["git", "show", f"{commit}:{path}"], cwd=ROOT, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"cannot read {path} at {commit} from git history ({done.stderr.strip()}); "
                         "a shallow clone lacks it: git fetch --unshallow")
    return done.stdout


def _relative_imports(source: str) -> set[str]:
    """Sibling modules a module imports with ``from .name import ...`` or ``from . import name``."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            names |= {node.module.split(".")[0]} if node.module else {a.name for a in node.names}
    return names
