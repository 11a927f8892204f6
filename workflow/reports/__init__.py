"""Reports: the bureau's report with its charts, the public site of the region's agreements and the auditor's
chronology of a case, all rendered from templates/reports/ by one strict Jinja environment.

- environment: the environment (strict, autoescaping, with the letters' date and money filters)
- bureau: the bureau's report (``kerjasama report``) and the geometry of its charts
- public: the public site (``kerjasama publish``)
- chronology: the auditor's annex of one case (``kerjasama case chronology``)
"""
from workflow.reports.bureau import bars, report_html, timeline
from workflow.reports.chronology import chronology_html
from workflow.reports.environment import REPORTS_DIR, reports_environment
from workflow.reports.public import publish

__all__ = ["REPORTS_DIR", "bars", "chronology_html", "publish", "report_html", "reports_environment", "timeline"]
