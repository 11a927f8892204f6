"""``kerjasama indicator``: what an agreement brings, measured: the catalogue, an agreement's indicators with their
baseline and targets, and the values recorded against them."""
from __future__ import annotations

import click

from workflow.commands.case import print_outcome
from workflow.commands.shared import (actor_option, as_date, emit_json, fact_date_option, json_option, pager_option,
                                      pass_app, pass_reader, plain, precision_of, show, table)
from workflow.commands.terms import REF, Term
from workflow.i18n import _, day


class YearFigure(click.ParamType):
    """``YEAR=FIGURE``, a target for a year: ``2026=20``, ``2027=1,5 miliar``."""

    name = "year=figure"

    def get_metavar(self, param, ctx):
        return _("YEAR=FIGURE")

    def convert(self, value, param, ctx):
        year, sep, figure = str(value).partition("=")
        if not sep or not year.strip().isdigit() or not 1900 <= int(year) <= 2200 or not figure.strip():
            self.fail(_("write YEAR=FIGURE, e.g. 2026=20"), param, ctx)
        return int(year), figure.strip()


TARGET = click.option("--target", "targets", type=YearFigure(), multiple=True,
                      help="A year's target, as YEAR=FIGURE (repeat for each year), e.g. --target 2026=20.")


@click.group()
def indicator():
    """Indicators of what an agreement brings: a baseline, a target per year, and the values recorded."""


@indicator.command(name="catalogue")
@json_option
@pager_option
def catalogue_(as_json):
    """The shared catalogue of indicators. Example: kerjasama indicator catalogue"""
    from workflow.indicator_catalogue import catalogue, unit_name
    from workflow.vocabulary import name as term

    kinds = catalogue().values()
    if as_json:
        return emit_json([{"code": k.code, "unit": k.unit, "name_id": k.name_id, "name_en": k.name_en,
                           "group": k.group} for k in kinds])
    show(table([[term("indicator", k.code), unit_name(k.unit), k.name()] for k in kinds],
               [_("CODE"), _("UNIT"), _("INDICATOR")]))


@indicator.command(name="add")
@click.argument("ref", type=REF)
@click.argument("code", type=Term("indicator"), required=False)
@click.option("--name", help="The bureau's own indicator: its name (then give --unit too, and no CODE).")
@click.option("--unit", help="The unit its figures are in; default the catalogue's.")
@click.option("--activity", type=click.IntRange(min=1), help="The action-plan activity it measures; default the "
              "agreement as a whole.")
@click.option("--baseline", metavar="FIGURE", help="The figure before the agreement, e.g. 0 or 1.250.")
@click.option("--baseline-year", type=click.IntRange(1900, 2200), help="The year the baseline is for.")
@TARGET
@fact_date_option("Day it was agreed (YYYY-MM-DD); default today.")
@actor_option
@json_option
@pass_app
def add_(app, ref, code, name, unit, activity, baseline, baseline_year, targets, on, actor, as_json):
    """Give an agreement an indicator of the catalogue (CODE), or of the bureau's own (--name, --unit).

    Example: kerjasama indicator add KS-2023-0001 guru_dipertukarkan --baseline 0 --baseline-year 2024
    --target 2026=10 --target 2027=12
    """
    from workflow.indicators import add_indicator

    print_outcome(add_indicator(app.bureau, ref, code, actor=actor, on=as_date(on), name=name, unit=unit,
                                activity=activity, baseline=baseline, baseline_year=baseline_year,
                                targets=dict(targets)), as_json)


@indicator.command(name="target")
@click.argument("ref", type=REF)
@click.argument("number", type=click.IntRange(min=1))
@TARGET
@fact_date_option("Day it was agreed (YYYY-MM-DD); default today.")
@actor_option
@json_option
@pass_app
def target_(app, ref, number, targets, on, actor, as_json):
    """Set the targets of indicator NUMBER for some years; the other years keep theirs.

    Example: kerjasama indicator target KS-2023-0001 1 --target 2028=15
    """
    from workflow.indicators import set_targets

    print_outcome(set_targets(app.bureau, ref, number, dict(targets), actor=actor, on=as_date(on)), as_json)


@indicator.command(name="record")
@click.argument("ref", type=REF)
@click.argument("number", type=click.IntRange(min=1))
@click.option("--year", required=True, type=click.IntRange(1900, 2200), help="The year the figure is for.")
@click.option("--value", required=True, metavar="FIGURE", help="The figure, as written: 12, 1.500, 2,5 miliar.")
@click.option("--source", required=True, help="Where it comes from, e.g. \"Laporan Dinas Pendidikan 2026\".")
@click.option("--doc", "document", metavar="DOC", help="The archived document that proves it (kerjasama doc list).")
@fact_date_option("Day the figure was established (the report's day), or its month or year; default today.")
@actor_option
@json_option
@pass_app
def record_(app, ref, number, year, value, source, document, on, actor, as_json):
    """Record the figure of indicator NUMBER for a year; a later figure for the same year replaces it.

    Example: kerjasama indicator record KS-2023-0001 1 --year 2026 --value 8 --source "Laporan Disdik 2026"
    """
    from workflow.indicators import record_value

    print_outcome(record_value(app.bureau, ref, number, year=year, value=value, source=source, actor=actor,
                               on=as_date(on), precision=precision_of(on), document=document), as_json)


@indicator.command(name="list")
@click.argument("ref", type=REF)
@json_option
@pager_option
@pass_reader
def list_(app, ref, as_json):
    """An agreement's indicators, year by year: target and figure. Example: kerjasama indicator list KS-2023-0001"""
    from workflow.indicator_catalogue import figure
    from workflow.indicators import indicators_of

    rows = indicators_of(app.bureau, ref)
    if as_json:
        return emit_json(plain(rows))
    if not rows:
        return click.echo(_("No indicators yet; add them with kerjasama indicator add {ref}.").format(ref=ref),
                          err=True)
    lines = []
    for row in rows:
        measures = _("activity {number}").format(number=row["activity"]) if row["activity"] else _("the agreement")
        baseline = (_("baseline {figure} ({year})").format(figure=figure(row["baseline"]), year=row["baseline_year"])
                    if row["baseline"] is not None else _("no baseline"))
        lines.append(f'{row["number"]}. {row["name"]} [{row["unit_name"]}] · {measures} · {baseline}')
        lines.append(table([[year, figure(row["targets"].get(year)),
                             figure(row["actual"][year]["value"]) if year in row["actual"] else "-",
                             day(row["actual"][year]["on"]) if year in row["actual"] else "",
                             row["actual"][year]["source"] if year in row["actual"] else ""]
                            for year in row["years"]],
                           [_("YEAR"), _("TARGET"), _("FIGURE"), _("ESTABLISHED"), _("SOURCE")]))
        lines.append("")
    show("\n".join(lines).rstrip())
