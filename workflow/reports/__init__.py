"""Reports: the bureau's report with its charts, the public site of the region's agreements and the auditor's
chronology of a case, all rendered from templates/reports/ by one strict Jinja environment, in the region's language.

- environment: the environment (strict, autoescaping, translating, with the letters' date and money filters)
- charts: the geometry of the charts: axes, ticks, labels that fit
- statuses: where an agreement stands, as the reports tell it
- bureau: the bureau's report (``kerjasama report``)
- benefit: what a cooperation promised and brought, per agreement and for the region (``kerjasama benefit``)
- public: the public site and its CSV and JSON downloads (``kerjasama publish``)
- chronology: the auditor's annex of one case (``kerjasama case chronology``)
"""
from workflow.reports.bureau import report_html
from workflow.reports.charts import bar_chart, timeline_chart
from workflow.reports.chronology import chronology_html
from workflow.reports.environment import REPORTS_DIR, reports_environment
from workflow.reports.public import publish

__all__ = ["REPORTS_DIR", "bar_chart", "chronology_html", "publish", "report_html", "reports_environment",
           "timeline_chart"]
