"""The command line: ``python -m catalog validate|convert|import|graph|docs``.

Exit status: 0 done (warnings on standard error); 1 the input has errors (each printed
as ``path: message``, nothing written); 2 the command could not run (unreadable, too
large, not JSON/YAML, unknown option), with one clear line and never a traceback.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

from catalog import reader
from catalog.convert import ConvertOptions
from catalog.emit import to_json, to_yaml
from catalog.errors import CatalogError, InputError
from catalog.issues import Issue
from catalog.output import check_target, write_file
from catalog.reader import load_document, load_documents
from catalog.validate import AppliedFix, Report, fix_all, validate

EXIT_OK, EXIT_INVALID, EXIT_FAILED = 0, 1, 2


def _terminal_width() -> int:
    """The terminal's width as ``shutil.get_terminal_size`` tells it, without its imports."""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):  # no stdout, or not a terminal
            columns = 80
    return columns


class _Formatter(argparse.HelpFormatter):
    """argparse's help layout; the width is found without importing shutil (and with it
    bz2, lzma and more), which argparse does for every argument added."""

    _width_found: int | None = None

    def __init__(self, prog: str, **options: Any) -> None:
        if options.get("width") is None:
            if _Formatter._width_found is None:
                _Formatter._width_found = _terminal_width() - 2
            options["width"] = _Formatter._width_found
        super().__init__(prog, **options)


class _Parser(argparse.ArgumentParser):
    """argparse that exits 2 with one line instead of its usage dump on stderr twice."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_FAILED, f"{self.prog}: error: {message} (see --help)\n")


def _read_bytes(path: str) -> bytes:
    # Read one byte past the limit, never the whole of a huge file, to say it is too large.
    limit = reader.MAX_BYTES
    if path == "-":
        return _within_limit("stdin", sys.stdin.buffer.read(limit + 1), limit)
    try:
        if os.path.isdir(path):
            raise InputError(f"{path}: is a folder, not a file")
        with open(path, "rb") as fh:
            return _within_limit(path, fh.read(limit + 1), limit)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except PermissionError:
        raise InputError(f"{path}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})") from None


def _within_limit(name: str, data: bytes, limit: int) -> bytes:
    if len(data) > limit:
        raise InputError(
            f"{name}: the input is larger than the limit of {reader.size_text(limit)}; "
            "split it or remove unused content"
        )
    return data


def read_input(path: str) -> Any:
    """Read a JSON or YAML document from a path or ``-``; a catalog-info.yaml is refused."""
    name = "stdin" if path == "-" else path
    raw = _read_bytes(path)
    docs = load_documents(raw, name=name)
    if any(isinstance(d, dict) and "kind" in d and "apiVersion" in d for d in docs):
        # Backstage's entities, given where a model catalog belongs: say which command reads them.
        raise InputError(
            f"{name}: this is a Backstage catalog-info.yaml (entities with 'apiVersion' and "
            f"'kind'), not a model catalog; 'python -m catalog import {name}' turns it into one"
        )
    return docs[0] if len(docs) == 1 else load_document(raw, name=name)  # it says how many


def write_output(out: str | None, data: str | bytes) -> None:
    """Write to standard output (no ``-o``, or ``-o -``) or to a path (see catalog.output)."""
    if out is None or out == "-":
        if isinstance(data, bytes):
            sys.stdout.buffer.write(data)
        else:
            sys.stdout.write(data)
        return
    write_file(out, data.encode("utf-8") if isinstance(data, str) else data)


def _print_issues(issues: Sequence[Issue], severity: str | None = None) -> None:
    for issue in issues:
        if severity is None or issue.severity == severity:
            label = "error" if issue.is_error else "warning"
            print(f"{label}: {issue}", file=sys.stderr)


def _options(args: argparse.Namespace) -> ConvertOptions:
    return ConvertOptions(
        layout=getattr(args, "layout", "classic"),
        kind=getattr(args, "kind", "AiModelServerAPI"),
        api_definition=getattr(args, "api_definition", "ref"),
    )


def _validated(args: argparse.Namespace) -> Report | None:
    document = read_input(args.input)
    options = _options(args)
    if getattr(args, "fix", False):
        applied: list[AppliedFix] = []
        document, report = fix_all(document, options, applied=applied)
        for change in applied:
            print(f"fixed: {change}", file=sys.stderr)
    else:
        report = validate(document, options)
    if not report.ok:
        _print_issues(report.issues)
        print(f"{len(report.errors)} error(s): nothing written", file=sys.stderr)
        return None
    _print_issues(report.warnings)
    return report


def cmd_validate(args: argparse.Namespace) -> int:
    report = validate(read_input(args.input), _options(args))
    if args.format == "json":
        print(
            json.dumps(
                [
                    {
                        "path": i.path,
                        "code": i.code,
                        "severity": i.severity,
                        "message": i.message,
                        "fix": None
                        if i.fix is None
                        else {
                            "op": i.fix.op,
                            "path": i.fix.path,
                            "label": i.fix.label,
                            "value": i.fix.value,
                        },
                    }
                    for i in report.issues
                ],
                indent=2,
            )
        )
    else:
        for issue in report.issues:
            print(f"{issue.severity}: {issue}")
        print(f"{len(report.errors)} error(s), {len(report.warnings)} warning(s)")
    if getattr(args, "backstage", None):
        from catalog.backstage_cli import check_with_backstage

        backstage_ok = check_with_backstage(args, report)
        return EXIT_OK if report.ok and backstage_ok else EXIT_INVALID
    return EXIT_OK if report.ok else EXIT_INVALID


def cmd_convert(args: argparse.Namespace) -> int:
    report = _validated(args)
    if report is None:
        return EXIT_INVALID
    assert report.entities is not None
    text = to_json(report.entities) if args.format == "json" else to_yaml(report.entities)
    write_output(args.output, text)
    return EXIT_OK


#: ``--server -`` picks the models that belong to no server in the file.
NO_SERVER = "-"


def cmd_import(args: argparse.Namespace) -> int:
    raw = _read_bytes(args.file)
    name = "stdin" if args.file == "-" else args.file
    if _source(args) == "model-card":
        from catalog.modelcard import import_model_card

        if args.server is not None:
            raise InputError("--server is for catalog-info files; a model card has no server")
        card = import_model_card(
            raw,
            filename=None if args.file == "-" else os.path.basename(args.file),
            owner=args.owner,
            repo_id=args.repo_id,
        )
        _report_import(card.document, card.left_out, card.warnings, [], None)
        _write_catalog(args.output, card.document)
        return EXIT_OK
    from catalog.reverse import import_catalog_infos

    results = import_catalog_infos(raw, name=name)
    labels = [NO_SERVER if r.server is None else r.server for r in results]
    if args.server is not None:
        if args.server == NO_SERVER and NO_SERVER not in labels:
            raise InputError(
                f"{name}: every model in it belongs to a server, so '--server -' (the models "
                f"of no server) has nothing to import; it holds {_servers(labels)}"
            )
        if args.server not in labels:
            raise InputError(
                f"{name}: no model server '{args.server}'; it holds {_servers(labels)}"
            )
        results = [results[labels.index(args.server)]]
    elif len(results) > 1 and args.output in (None, "-"):
        raise InputError(
            f"{name}: holds {len(results)} catalogs ({_servers(labels)}), each with its own "
            "models: choose one with --server NAME, or give -o OUT to write one file per "
            f"server ({', '.join(_per_server('OUT.json', label) for label in labels)})"
        )
    several = len(results) > 1
    for result, label in zip(results, labels, strict=False):
        _report_import(
            result.document,
            result.left_out,
            result.warnings,
            result.inferred,
            label if several else None,
        )
    for result, label in zip(results, labels, strict=False):
        out = _per_server(args.output, label) if several else args.output
        _write_catalog(out, result.document)
        if several:
            models = len(result.document.get("models") or [])
            what = "models of no server" if result.server is None else f"server {label}"
            print(f"wrote {out}: {what}, {models} model(s)", file=sys.stderr)
    return EXIT_OK


#: File name endings read as a model card when ``--from`` is not given.
MODEL_CARD_SUFFIXES = (".md", ".markdown")


def _source(args: argparse.Namespace) -> str:
    """``--from``, or by the file name: a Markdown file is a model card, else catalog-info."""
    if args.source is not None:
        return str(args.source)
    if args.file.lower().endswith(MODEL_CARD_SUFFIXES):
        return "model-card"
    return "catalog-info"


def _example_output(args: argparse.Namespace) -> str:
    """A file name for the command's output, suggested when ``-o`` names a folder."""
    run = args.run
    if run is cmd_graph:
        return f"graph.{args.format}"
    if run is cmd_docs:
        return "bundle.zip"
    if run is cmd_import:
        return "catalog.json"
    return "catalog-info.json" if getattr(args, "format", "") == "json" else "catalog-info.yaml"


def _servers(labels: list[str]) -> str:
    named = [
        "'-' (the models of no server in the file)" if label == NO_SERVER else f"'{label}'"
        for label in labels
    ]
    return "the servers " + ", ".join(named)


def _per_server(out: str, label: str) -> str:
    """OUT for one server: ``{server}`` in it replaced, else ``-<server>`` before the suffix."""
    part = "no-server" if label == NO_SERVER else label
    if "{server}" in out:
        return out.replace("{server}", part)
    root, suffix = os.path.splitext(out)  # no pathlib: the CLI's cold start avoids it
    return f"{root}-{part}{suffix}"


def _report_import(
    document: dict[str, Any],
    left_out: list[str],
    warnings: list[str],
    inferred: list[str],
    label: str | None,
) -> None:
    """What the import inferred, left out and noted, and the catalog's issues, on stderr."""
    tag = f" ({label})" if label else ""
    for fact in inferred:
        print(f"inferred{tag}: {fact}", file=sys.stderr)
    for warning in warnings:
        print(f"warning{tag}: {warning}", file=sys.stderr)
    for item in left_out:
        print(f"left out{tag}: {item}", file=sys.stderr)
    report = validate(document)
    _print_issues(report.issues)
    if not report.ok:
        print(
            f"the imported catalog{tag} has {len(report.errors)} error(s): fix them before "
            "converting (convert --fix applies the fixes it knows)",
            file=sys.stderr,
        )


def _write_catalog(out: str | None, document: dict[str, Any]) -> None:
    if out and out.endswith((".yaml", ".yml")):
        write_output(out, to_yaml([document]))
    else:
        write_output(out, to_json(document))


def cmd_graph(args: argparse.Namespace) -> int:
    from catalog import graph

    report = _validated(args)
    if report is None:
        return EXIT_INVALID
    assert report.entities is not None
    options = graph.GraphOptions(
        direction=args.direction,
        show_owners=args.owners,
        show_inverse=args.inverse,
        expand_all=not args.fold,
        group_by=args.group_by,
    )
    dot = graph.to_dot(report.entities, options)
    if args.format == "dot":
        write_output(args.output, dot)
    else:
        if args.output is None and sys.stdout.isatty():
            raise InputError(f"{args.format.upper()} is binary: give -o FILE")
        write_output(args.output, graph.render(dot, args.format))
    return EXIT_OK


def cmd_docs(args: argparse.Namespace) -> int:
    from catalog import techdocs

    report = _validated(args)
    if report is None:
        return EXIT_INVALID
    assert report.catalog is not None
    bundle = techdocs.make_bundle(report.catalog, _options(args))
    for warning in bundle.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    write_output(args.output, techdocs.bundle_zip(bundle.files))
    print(f"wrote {args.output}: {len(bundle.files)} files", file=sys.stderr)
    return EXIT_OK


def _layout_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--layout",
        choices=["classic", "ai-model-server"],
        default="classic",
        help="classic: Component + API + Resources; ai-model-server: one entity",
    )
    p.add_argument(
        "--kind",
        choices=["AiModelServerAPI", "API"],
        default="AiModelServerAPI",
        help="entity kind of the ai-model-server layout",
    )
    p.add_argument(
        "--api-definition",
        choices=["ref", "url"],
        default="ref",
        dest="api_definition",
        help="ref: {$text: url} or the embedded document; url: the spec string as is",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python -m catalog",
        description="Turn a model catalog into Backstage catalog entities.",
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("validate", help="report every problem in a model catalog")
    p.add_argument("input", help="model catalog (JSON or YAML), or - for standard input")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument(
        "--backstage",
        metavar="URL",
        help="also ask the Backstage at URL to validate every entity "
        "(token from MODEL_CATALOG_BACKSTAGE_TOKEN)",
    )
    _layout_options(p)
    p.set_defaults(run=cmd_validate)

    p = sub.add_parser("convert", help="write catalog-info.yaml (or JSON) for a model catalog")
    p.add_argument("input")
    p.add_argument("-o", "--output", help="output file (default: standard output)")
    p.add_argument("--format", choices=["yaml", "json"], default="yaml")
    p.add_argument("--fix", action="store_true", help="apply every available fix first")
    _layout_options(p)
    p.set_defaults(run=cmd_convert)

    p = sub.add_parser("import", help="read a catalog-info.yaml or a model card into a catalog")
    p.add_argument("file")
    p.add_argument("-o", "--output", help="output file (.json, or .yaml for YAML)")
    p.add_argument(
        "--from",
        dest="source",
        choices=["catalog-info", "model-card"],
        help="what the file is (default: model-card for a .md file, else catalog-info)",
    )
    p.add_argument("--owner", help="model card: the Backstage owner of the model (user or group)")
    p.add_argument(
        "--repo-id",
        dest="repo_id",
        help="model card: its Hugging Face repo id (org/model); it names the model, before "
        "the card's own names, and gives the artifact link",
    )
    p.add_argument(
        "--server",
        metavar="NAME",
        help="catalog-info with several model servers: import only this one ('-': the "
        "models of no server); without it, -o OUT writes one file per server "
        "(OUT-<server>.json, or {server} in OUT)",
    )
    p.set_defaults(run=cmd_import)

    p = sub.add_parser("graph", help="draw the entities and their relations")
    p.add_argument("input")
    p.add_argument("-o", "--output")
    p.add_argument("--format", choices=["dot", "svg", "png"], default="dot")
    p.add_argument("--fix", action="store_true", help="apply every available fix first")
    p.add_argument("--direction", choices=["LR", "TB"], default="LR", help="left-right or top-down")
    p.add_argument("--owners", action="store_true", help="draw the owners and ownedBy edges")
    p.add_argument("--inverse", action="store_true", help="draw dependencyOf and apiProvidedBy too")
    p.add_argument("--fold", action="store_true", help="fold models beyond 30 into 'N more' nodes")
    p.add_argument(
        "--group-by",
        choices=["owner", "lifecycle", "tag", "none"],
        default="owner",
        help="one cluster of models, in a grid, per owner (default), lifecycle or first tag",
    )
    _layout_options(p)
    p.set_defaults(run=cmd_graph)

    p = sub.add_parser("docs", help="write the TechDocs bundle (zip)")
    p.add_argument("input")
    p.add_argument("-o", "--output", required=True, help="the zip file to write")
    p.add_argument("--fix", action="store_true", help="apply every available fix first")
    _layout_options(p)
    p.set_defaults(run=cmd_docs)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, or a usage error (its one line already printed)
        return exc.code if isinstance(exc.code, int) else EXIT_FAILED
    # A command is short and makes no garbage cycles worth finding (its input is bounded
    # by reader.MAX_BYTES): the cyclic collector would only walk the document and the
    # entities again and again, a tenth of the time of a large conversion.
    collecting = gc.isenabled()
    gc.disable()
    try:
        run: Callable[[argparse.Namespace], int] = args.run
        if getattr(args, "output", None) not in (None, "-"):
            # A folder or a disk as OUT: say so before any work.
            check_target(args.output, _example_output(args))
        return run(args)
    except CatalogError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except MemoryError:
        print("error: the input is too large to process", file=sys.stderr)
        return EXIT_FAILED
    except Exception as exc:  # noqa: BLE001 - the promise is: never a traceback
        print(
            f"error: internal error ({type(exc).__name__}: {exc}); please report it",
            file=sys.stderr,
        )
        return EXIT_FAILED
    finally:
        if collecting:
            gc.enable()
