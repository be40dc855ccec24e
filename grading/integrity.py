"""Integrity of a submission, judged from its text before and outside its execution.

A learner's answer cells run in the same kernel as the checks that grade them, so no
check inside that kernel can be made safe against code that runs before it (issue 18
of the course: rebinding a check, patching the check module's helpers, wrapping the
private references all scored full marks with wrong answers). This module reads each
code cell the learner could write, as Python syntax (``ast``), without running it,
and reports what only a way around the checks needs:

* reaching the check modules other than by the source notebook's own imports
  (``import nnbasics.checks.gradient_descent as c``, ``from nnbasics.checks...
  import close``), or any private name of the course's package (``_reference...``);
* rebinding (assigning, defining, importing, deleting) a name that a graded cell
  uses and that no answer cell of the source defines: the check functions, ``np``,
  the exercise's data;
* patching a module or an imported object (an attribute assigned or deleted on an
  imported name, ``setattr``/``delattr``, ``sys.modules``, ``__dict__``,
  ``importlib``, ``builtins``, ``globals()``/``locals()``/``vars()``);
* running computed code or reaching objects by computed names (``eval``, ``exec``,
  ``compile``, ``__import__``, ``getattr`` with a name that is not a literal);
* reading the kernel's own state: ``In``/``Out``/``_ih``/``_i3``/..., the history,
  ``get_ipython``, IPython magics other than timing and plotting ones, the caller's
  frame (``inspect``, ``sys._getframe``, ``f_back``), a function's insides
  (``__code__``, ``__defaults__``, ``__globals__``, ``__closure__``, ...), ``gc``,
  ``ctypes``;
* a ``try`` whose body calls a check, and a ``def``/assignment of a name ``check_*``.

A right answer needs none of these; ``tests/test_integrity.py`` checks that every
right variant in ``solutions/*_answers.py`` is left alone and that the known cheats
are all flagged. :mod:`grading.nbgrader_hooks` applies the findings in
``nbgrader autograde``.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from dataclasses import dataclass

#: Names of the kernel's input and output history (IPython's user namespace).
HISTORY_NAMES = re.compile(r"^(In|Out|_ih|_oh|_dh|_i{1,3}|_i\d+|_\d+|__{1,2}|_{3})$")
#: Modules whose import alone means reaching around the checks.
FORBIDDEN_MODULES = ("importlib", "inspect", "gc", "ctypes", "builtins", "IPython",
                     "imp", "types", "marshal", "pickle", "dill", "runpy", "code", "codeop",
                     "ipykernel", "traceback", "sys._getframe")
#: Calls that run computed code or reach objects by computed names.
FORBIDDEN_CALLS = ("eval", "exec", "compile", "__import__", "globals", "locals", "vars",
                   "setattr", "delattr", "get_ipython", "breakpoint", "open")
#: Attributes that give a function's or a frame's insides.
FORBIDDEN_ATTRIBUTES = frozenset({
    "__code__", "__defaults__", "__kwdefaults__", "__globals__", "__closure__",
    "__dict__", "__wrapped__", "__builtins__", "__subclasses__", "__self__", "__func__",
    "__getattribute__", "__setattr__", "__delattr__", "__loader__", "__spec__",
    "f_back", "f_globals", "f_locals", "f_code", "gi_frame", "tb_frame", "cell_contents",
    "co_consts", "modules", "_getframe", "settrace", "setprofile", "meta_path",
    "ast_transformers", "user_ns", "set_custom_exc", "events", "run_cell",
})
#: IPython magics that only time or display.
HARMLESS_MAGICS = frozenset({"time", "timeit", "matplotlib", "config", "precision"})


@dataclass(frozen=True)
class Finding:
    """One reason to distrust a cell: where it is and what it does."""

    cell: int  # the cell's index in the notebook
    cell_id: str  # its id (an answer cell's id is its task's grade id)
    line: int  # line in the cell, 1-based
    reason: str

    def __str__(self) -> str:
        return f"cell {self.cell_id!r}, line {self.line}: {self.reason}"


def _source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _nbgrader(cell: dict) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def is_graded(cell: dict) -> bool:
    """A cell nbgrader scores (a check cell)."""
    return bool(_nbgrader(cell).get("grade"))


def is_fixed(cell: dict) -> bool:
    """A cell nbgrader restores from the source before grading (graded or locked)."""
    meta = _nbgrader(cell)
    return bool(meta.get("grade") or meta.get("locked")) and not meta.get("solution")


def is_answer(cell: dict) -> bool:
    """A cell whose code the learner wrote or could have changed."""
    return cell.get("cell_type") == "code" and not is_fixed(cell)


def python_of(source: str) -> str:
    """The cell as Python: IPython's magics and shell escapes turned into calls."""
    try:
        from IPython.core.inputtransformer2 import TransformerManager
    except ImportError:  # no IPython: a magic becomes a call that is flagged below
        return "\n".join(f"get_ipython().run_line_magic({line!r})"
                         if line.lstrip().startswith(("%", "!")) else line
                         for line in source.split("\n"))
    return TransformerManager().transform_cell(source)


def _parse(source: str) -> ast.Module | None:
    try:
        return ast.parse(python_of(source))
    except SyntaxError:  # the cell fails on its own when it runs; nothing to hide
        return None


def _dotted(node: ast.AST) -> str | None:
    """``a.b.c`` for an attribute chain on a name, else None."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        return ".".join([node.id, *reversed(parts)])
    return None


def _root_name(node: ast.AST) -> str | None:
    while isinstance(node, ast.Attribute | ast.Subscript | ast.Call):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def _imports(tree: ast.AST) -> set[tuple[str, str, str]]:
    """(module, name, bound name) for every import in ``tree``."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                bound = alias.asname or alias.name.split(".")[0]
                found.add((alias.name, "", bound))
        elif isinstance(node, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
            for alias in node.names:
                found.add((module, alias.name, alias.asname or alias.name))
    return found


def _top_level_bindings(tree: ast.Module) -> dict[str, int]:
    """Names a cell binds in the notebook's namespace, with the line of each.

    Module-level statements (inside ``if``/``for``/``with``/``try`` too) and names
    declared ``global`` inside a function; a function's own locals are its business.
    """
    bound: dict[str, int] = {}

    def targets(node: ast.AST, line: int) -> None:
        for sub in ast.walk(node):
            if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store | ast.Del):
                bound.setdefault(sub.id, line)
            elif isinstance(sub, ast.Starred | ast.Tuple | ast.List):
                continue

    def visit(body: Iterable[ast.stmt]) -> None:
        for node in body:
            line = node.lineno
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                bound.setdefault(node.name, line)
                for sub in ast.walk(node):
                    if isinstance(sub, ast.Global):
                        for name in sub.names:
                            bound.setdefault(name, sub.lineno)
            elif isinstance(node, ast.Import | ast.ImportFrom):
                for alias in node.names:
                    if alias.name == "*":
                        bound.setdefault("*", line)
                    else:
                        bound.setdefault(alias.asname or alias.name.split(".")[0], line)
            elif isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
                for target in getattr(node, "targets", None) or [node.target]:
                    targets(target, line)
                for sub in ast.walk(node.value) if node.value is not None else ():
                    if isinstance(sub, ast.NamedExpr):
                        targets(sub.target, line)
            elif isinstance(node, ast.Delete):
                for target in node.targets:
                    targets(target, line)
            elif isinstance(node, ast.For | ast.AsyncFor):
                targets(node.target, line)
                visit(node.body)
                visit(node.orelse)
            elif isinstance(node, ast.With | ast.AsyncWith):
                for item in node.items:
                    if item.optional_vars is not None:
                        targets(item.optional_vars, line)
                visit(node.body)
            elif isinstance(node, ast.If | ast.While):
                visit(node.body)
                visit(node.orelse)
            elif isinstance(node, ast.Try):
                for handler in node.handlers:
                    if handler.name:
                        bound.setdefault(handler.name, handler.lineno)
                    visit(handler.body)
                visit(node.body)
                visit(node.orelse)
                visit(node.finalbody)
            else:
                for sub in ast.walk(node):
                    if isinstance(sub, ast.NamedExpr):
                        targets(sub.target, line)

    visit(tree.body)
    return bound


def _loaded_names(tree: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)
            and isinstance(n.ctx, ast.Load)}


@dataclass
class SourceFacts:
    """What the source notebook allows: its own imports and the names learners define."""

    imports: set[tuple[str, str, str]]
    protected: set[str]  # names graded cells use that no answer cell of the source defines
    own_bindings: dict[str, set[tuple[str, str, str]]]  # protected name -> its source imports

    @classmethod
    def of(cls, source_nb: dict) -> SourceFacts:
        imports: set[tuple[str, str, str]] = set()
        used: set[str] = set()
        stored_in_graded: set[str] = set()
        defined_by_answers: set[str] = set()
        for cell in source_nb.get("cells", []):
            if cell.get("cell_type") != "code":
                continue
            tree = _parse(_source(cell))
            if tree is None:
                continue
            imports |= _imports(tree)
            if is_graded(cell):
                used |= _loaded_names(tree)
                stored_in_graded |= set(_top_level_bindings(tree))
            elif _nbgrader(cell).get("solution"):
                defined_by_answers |= set(_top_level_bindings(tree))
        protected = used - defined_by_answers - stored_in_graded
        own = {}
        for module, name, bound in imports:
            own.setdefault(bound, set()).add((module, name, bound))
        return cls(imports, protected, own)


def _is_check_module(module: str) -> bool:
    return module == "nnbasics.checks" or module.startswith("nnbasics.checks.")


def inspect_cell(source: str, facts: SourceFacts, index: int = 0,
                 cell_id: str = "") -> list[Finding]:
    """Everything in one answer cell that only a way around the checks needs."""
    tree = _parse(source)
    if tree is None:
        return []
    found: list[Finding] = []

    def flag(node: ast.AST | None, reason: str) -> None:
        line = getattr(node, "lineno", 1) if node is not None else 1
        finding = Finding(index, cell_id, line, reason)
        if finding not in found:
            found.append(finding)

    imported: set[str] = {bound for _, _, bound in facts.imports}
    cell_imports = _imports(tree)
    imported |= {bound for _, _, bound in cell_imports}

    # -- imports
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            if isinstance(node, ast.Import):
                entries = [(alias.name, "", alias.asname or alias.name.split(".")[0])
                           for alias in node.names]
            else:
                module = "." * node.level + (node.module or "")
                entries = [(module, a.name, a.asname or a.name) for a in node.names]
            for module, name, bound in entries:
                full = f"{module}.{name}" if name else module
                if any(full == m or full.startswith(m + ".") for m in FORBIDDEN_MODULES):
                    flag(node, f"imports {full}, which reaches around the checks")
                elif name == "*" and module.startswith("nnbasics"):
                    flag(node, f"imports everything from {module}")
                elif module.startswith("nnbasics") and (name or module).split(".")[-1]\
                        .startswith("_"):
                    flag(node, f"imports the course's private {full}")
                elif (_is_check_module(full) or _is_check_module(module)) and \
                        (module, name, bound) not in facts.imports:
                    flag(node, f"imports {full} (the checks) other than the notebook's "
                               "own import does")
                elif module == "nnbasics" and name == "checks":
                    flag(node, "imports the check modules")
                elif module == "sys" and name in ("modules", "_getframe", "settrace"):
                    flag(node, f"imports sys.{name}")

    # -- names the graded cells use
    bindings = _top_level_bindings(tree)
    for name, line in bindings.items():
        node = ast.Module(body=[], type_ignores=[])
        node.lineno = line  # type: ignore[attr-defined]
        if name == "*":
            continue
        if name.startswith("check_"):
            flag(node, f"defines or rebinds {name}, a check's name")
        elif name in facts.protected:
            own = facts.own_bindings.get(name, set())
            mine = {entry for entry in cell_imports if entry[2] == name}
            if not (mine and mine <= own):
                flag(node, f"rebinds {name}, which a graded cell uses")

    # -- the rest, node by node
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            if HISTORY_NAMES.match(node.id):
                flag(node, f"uses {node.id}, the notebook's input/output history")
            elif node.id in ("__builtins__", "builtins", "sys.modules"):
                flag(node, f"uses {node.id}")
            elif node.id.startswith("_reference"):
                flag(node, f"uses the course's private {node.id}")
            elif node.id in FORBIDDEN_CALLS:
                flag(node, f"uses {node.id}()")
        elif isinstance(node, ast.Attribute):
            dotted = _dotted(node) or ""
            if node.attr in FORBIDDEN_ATTRIBUTES:
                flag(node, f"uses .{node.attr}, which reaches the insides of objects or "
                           "the kernel")
            elif node.attr.startswith("_") and not node.attr.startswith("__") and \
                    _root_name(node) in imported:
                flag(node, f"uses the private {dotted or node.attr}")
            elif node.attr == "checks" and _root_name(node) in imported:
                flag(node, f"reaches the check modules through {dotted or '.checks'}")
            if isinstance(node.ctx, ast.Store | ast.Del):
                root = _root_name(node)
                if root in imported or root is None:
                    flag(node, f"patches {dotted or node.attr}: assigns to an attribute of "
                               "an imported module or object")
        elif isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Store | ast.Del):
            root = _root_name(node)
            if root in imported:
                flag(node, f"patches {root} by item assignment")
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else (
                func.attr if isinstance(func, ast.Attribute) else None)
            if name in ("getattr", "hasattr") and len(node.args) >= 2:
                what = node.args[1]
                if not (isinstance(what, ast.Constant) and isinstance(what.value, str)):
                    flag(node, f"calls {name} with a computed name")
                elif what.value.startswith("_"):
                    flag(node, f"calls {name} for the private {what.value!r}")
            if isinstance(func, ast.Attribute) and func.attr == "run_line_magic" or \
                    isinstance(func, ast.Attribute) and func.attr == "run_cell_magic":
                magic = node.args[0].value if node.args and isinstance(
                    node.args[0], ast.Constant) else None
                if magic in HARMLESS_MAGICS:
                    found[:] = [f for f in found if f.line != node.lineno
                                or "get_ipython" not in f.reason]
                    continue
                flag(node, f"runs the IPython magic %{magic}")
            if isinstance(func, ast.Attribute) and func.attr == "system":
                flag(node, "runs a shell command")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
            if "_reference" in text or "nnbasics.checks" in text or \
                    re.search(r"\b(sys\.modules|__import__|__dict__|__code__)\b", text):
                flag(node, f"a string names the course's internals: {text[:40]!r}")
        elif isinstance(node, ast.Try | getattr(ast, "TryStar", ast.Try)):
            for sub in node.body:
                for call in ast.walk(sub):
                    if isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and \
                            call.func.id.startswith("check_"):
                        flag(node, f"calls {call.func.id} inside try/except, which can "
                                   "swallow its failure")
    # a harmless magic is still written as get_ipython(); keep only the real findings
    harmless_lines = {n.lineno for n in ast.walk(tree) if isinstance(n, ast.Call)
                      and isinstance(n.func, ast.Attribute)
                      and n.func.attr in ("run_line_magic", "run_cell_magic") and n.args
                      and isinstance(n.args[0], ast.Constant)
                      and n.args[0].value in HARMLESS_MAGICS}
    return [f for f in found if not (f.line in harmless_lines
                                     and f.reason in ("uses get_ipython()",))]


def inspect_notebook(submission: dict, source: dict | None = None) -> list[Finding]:
    """Every finding in the submission's answer cells (and in cells the learner added).

    ``source`` is the notebook nbgrader released from (its imports are allowed, its
    graded cells say which names are protected); without it, the submission's own
    imports and graded cells are taken, which is right for a notebook whose imports
    the learner did not change (the tests' case).
    """
    source = source if source is not None else submission
    facts = SourceFacts.of(source)
    # the source's own cells, unchanged, are the course's code, not the learner's
    own = {(c.get("id"), _source(c)) for c in source.get("cells", [])
           if c.get("cell_type") == "code" and not _nbgrader(c).get("solution")}
    found: list[Finding] = []
    for index, cell in enumerate(submission.get("cells", [])):
        if is_answer(cell) and (cell.get("id"), _source(cell)) not in own:
            found += inspect_cell(_source(cell), facts, index,
                                  str(cell.get("id") or _nbgrader(cell).get("grade_id")
                                      or index))
    return found


def affected_parts(submission: dict, findings: Iterable[Finding]) -> dict[str, list[Finding]]:
    """The graded parts each finding voids: every graded cell that runs after it.

    Code that patches or rebinds acts on every check that runs later, so the part of
    the flagged task and every later part score zero (an instructor can override).
    """
    cells = submission.get("cells", [])
    parts: dict[str, list[Finding]] = {}
    for finding in findings:
        for index in range(finding.cell + 1, len(cells)):
            if is_graded(cells[index]):
                grade_id = _nbgrader(cells[index])["grade_id"]
                parts.setdefault(grade_id, []).append(finding)
    return parts
