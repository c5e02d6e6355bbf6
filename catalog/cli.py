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
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from catalog import reader
from catalog.convert import ConvertOptions
from catalog.emit import to_json, to_yaml
from catalog.errors import CatalogError, InputError
from catalog.issues import Issue
from catalog.reader import load_document
from catalog.validate import Report, fix_all, validate

EXIT_OK, EXIT_INVALID, EXIT_FAILED = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse that exits 2 with one line instead of its usage dump on stderr twice."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_FAILED, f"{self.prog}: error: {message} (see --help)\n")


def _read_bytes(path: str) -> bytes:
    # Read one byte past the limit, never the whole of a huge file, to say it is too large.
    limit = reader.MAX_BYTES
    if path == "-":
        return _within_limit("stdin", sys.stdin.buffer.read(limit + 1), limit)
    try:
        p = Path(path)
        if p.is_dir():
            raise InputError(f"{path}: is a folder, not a file")
        with p.open("rb") as fh:
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
    """Read a JSON or YAML document from a path or ``-``."""
    document = load_document(_read_bytes(path), name="stdin" if path == "-" else path)
    # The document lives as long as the command: take it out of the cyclic collector's
    # way, which would otherwise walk all of it again on every full collection (a fifth
    # of the time of a large conversion).  ``main`` gives it back when the command ends.
    gc.freeze()
    return document


def write_output(out: str | None, data: str | bytes) -> None:
    """Write to a file atomically (a temp file renamed into place), or to standard output."""
    if out is None or out == "-":
        if isinstance(data, bytes):
            sys.stdout.buffer.write(data)
        else:
            sys.stdout.write(data)
        return
    target = Path(out)
    if not target.parent.exists():
        raise InputError(f"{out}: the folder {target.parent} does not exist")
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise InputError(f"{out}: cannot be written ({exc.strerror})") from None


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
        document, report = fix_all(document, options)
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
    return EXIT_OK if report.ok else EXIT_INVALID


def cmd_convert(args: argparse.Namespace) -> int:
    report = _validated(args)
    if report is None:
        return EXIT_INVALID
    assert report.entities is not None
    text = to_json(report.entities) if args.format == "json" else to_yaml(report.entities)
    write_output(args.output, text)
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    raw = _read_bytes(args.file)
    name = "stdin" if args.file == "-" else args.file
    if args.source == "model-card":
        from catalog.modelcard import import_model_card

        card = import_model_card(
            raw,
            filename=None if args.file == "-" else Path(args.file).name,
            owner=args.owner,
            repo_id=args.repo_id,
        )
        document, left_out = card.document, card.left_out
        for warning in getattr(card, "warnings", []):
            print(f"warning: {warning}", file=sys.stderr)
    else:
        from catalog.reverse import import_catalog_info

        result = import_catalog_info(raw, name=name)
        document, left_out = result.document, result.left_out
    for item in left_out:
        print(f"left out: {item}", file=sys.stderr)
    report = validate(document)
    _print_issues(report.issues)
    if not report.ok:
        print(
            f"the imported catalog has {len(report.errors)} error(s): fix them before "
            "converting (convert --fix applies the fixes it knows)",
            file=sys.stderr,
        )
    out = args.output
    if out and out.endswith((".yaml", ".yml")):
        write_output(out, to_yaml([document]))
    else:
        write_output(out, to_json(document))
    return EXIT_OK


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
        "--from", dest="source", choices=["catalog-info", "model-card"], default="catalog-info"
    )
    p.add_argument("--owner", help="model card: the Backstage owner of the model (user or group)")
    p.add_argument(
        "--repo-id", dest="repo_id", help="model card: its Hugging Face repo id, e.g. org/model"
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
    try:
        run: Callable[[argparse.Namespace], int] = args.run
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
        gc.unfreeze()
