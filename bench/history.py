"""Earlier releases of product code, loaded from git history to serve as same-run baselines.

A baseline that is an old version of a product module is not kept as a copy:
``at_commit(commit, "index/compare.py")`` reads that file and every module it imports
relatively (``from .quotations import ...``), each as it was at ``commit``
(``git show COMMIT:PATH``), writes them into a temporary package, and imports it. The
package's ``__init__`` is left empty, so only the modules the baseline needs are loaded.
A baseline that is an old release of the whole engine (what ``sources`` answered before an
issue) runs that release's own command line instead: ``cli_at(commit, ...)`` extracts
``index/`` as it was at ``commit`` (``git archive``) and runs ``python -m index.cli`` there,
with this checkout's virtual environment, reading the JSON of the command-line contract.
This needs the repository's history (a shallow clone lacks it: ``git fetch --unshallow``).
"""
from __future__ import annotations

import ast
import atexit
import importlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent

# compare (index/compare.py and index/quotations.py) before issue 12 rewrote it: the
# "before" of bench/quality/compare.py, the sentence-alignment share of quality/reuse.py
# and the compare time of speed/compare.py.
BEFORE_ISSUE_12 = "a647b43"


# main before issue 21 (verdicts on the statement, `contradicts`, voice, `first`): the "before"
# of bench/quality/sample_claims.py and the `reported` baseline of bench/quality/voice.py.
BEFORE_ISSUE_21 = "c80a216"


def compare_before_issue_12() -> ModuleType:
    return at_commit(BEFORE_ISSUE_12, "index/compare.py")


def cli_at(commit: str, home: Path, corpus: str, *args: str) -> dict:
    """``sourcedesk --home HOME --corpus CORPUS ARGS... --json`` as the release at ``commit``
    answers it: its JSON document (a failure stops the run with the release's message)."""
    tree = _tree_at(commit)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONSAFEPATH")}
    env["HF_HUB_OFFLINE"] = "1"
    # run from the extracted tree: its index/ comes first on sys.path, before this checkout's
    done = subprocess.run([sys.executable, "-m", "index.cli", "--home", str(home), "--corpus", corpus, *args, "--json"],
                          cwd=tree, env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"sourcedesk at {commit} {' '.join(args[:1])} failed: {done.stderr.strip()[-2000:]}")
    return json.loads(done.stdout)


def call_at(commit: str, module: str, function: str, calls: list[list]) -> list:
    """``module.function(*args)`` for each ``args`` of ``calls``, as the release at ``commit``
    answers (``index/`` extracted as for ``cli_at``, so a function whose helpers moved since
    still runs as it did); arguments and results travel as JSON."""
    tree = _tree_at(commit)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONSAFEPATH")}
    env["HF_HUB_OFFLINE"] = "1"
    code = (f"import json, sys\nfrom {module} import {function} as f\n"
            "print(json.dumps([f(*args) for args in json.load(sys.stdin)]))")
    done = subprocess.run([sys.executable, "-c", code], cwd=tree, env=env, input=json.dumps(calls),
                          capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{module}.{function} at {commit} failed: {done.stderr.strip()[-2000:]}")
    return json.loads(done.stdout)


_trees: dict[str, Path] = {}


def _tree_at(commit: str) -> Path:
    """``index/`` at ``commit`` in a temporary folder (removed at exit), checked to be what
    ``python -m index`` imports there."""
    if commit not in _trees:
        root = Path(tempfile.mkdtemp(prefix=f"sourcedesk-at-{commit}-"))
        atexit.register(shutil.rmtree, root, ignore_errors=True)
        archive = subprocess.run(["git", "archive", commit, "index"], cwd=ROOT, capture_output=True)
        if archive.returncode:
            raise SystemExit(f"cannot read index/ at {commit} from git history ({archive.stderr.decode().strip()}); "
                             "a shallow clone lacks it: git fetch --unshallow")
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            tar.extractall(root, filter="data")
        where = subprocess.run([sys.executable, "-c", "import index.errors as m; print(m.__file__)"], cwd=root,
                               capture_output=True, text=True).stdout.strip()
        if not where.startswith(str(root)):
            raise SystemExit(f"index/ at {commit} would not be the code imported (got {where!r})")
        _trees[commit] = root
    return _trees[commit]


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
