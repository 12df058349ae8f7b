import logging

from odoo import fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

CHUNK = 2000


class SafetyHazardLedgerXlsx(models.AbstractModel):
    """The hazard ledger (隐患台账) of one school and period as an Excel file.

    Rows are streamed: the hazards visible to the user (record rules applied through
    ``_search``) are read with one server-side cursor in chunks and written with
    xlsxwriter's constant-memory mode, so memory does not grow with the ledger.
    """

    _name = "report.safety_inspection.hazard_ledger_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Hazard Ledger Excel Report"

    def get_workbook_options(self):
        return {"constant_memory": True, "in_memory": False, "default_date_format": "yyyy-mm-dd"}

    def _ledger_columns(self):
        Hazard = self.env["safety.hazard"]
        label = lambda name: Hazard._fields[name]._description_string(self.env)  # noqa: E731
        return [
            (label("name"), 16), (label("company_id"), 24), (label("found_date"), 12),
            (label("location"), 28), (label("category"), 18), (label("level"), 8),
            (label("source"), 10), (label("description"), 40), (label("found_by_id"), 14),
            (label("measure"), 36), (label("funding_estimated"), 12), (label("funding_actual"), 12),
            (label("owner_id"), 14), (label("deadline"), 12), (label("rechecker_id"), 14),
            (label("recheck_date"), 12), (label("state"), 14), (label("closed_date"), 12),
            (label("is_overdue"), 8),
        ]

    def _selection_labels(self, field):
        return dict(self.env["safety.hazard"]._fields[field]._description_selection(self.env))

    def _ledger_query(self, company_id, date_from, date_to):
        Hazard = self.env["safety.hazard"]
        Hazard.check_access("read")
        if company_id not in self.env.user.company_ids.ids and not self.env.su:
            raise AccessError(self.env._("You cannot export the ledger of another school."))
        Hazard.flush_model()
        self.env["res.users"].flush_model(["partner_id"])
        self.env["res.partner"].flush_model(["name"])
        self.env["res.company"].flush_model(["name"])
        query = Hazard._search([
            ("company_id", "=", company_id),
            ("found_date", ">=", date_from),
            ("found_date", "<=", date_to),
        ])
        return SQL(
            """SELECT h.name, c.name, h.found_date, h.location, h.category, h.level, h.source,
                      h.description, pf.name, h.measure, h.funding_estimated, h.funding_actual,
                      po.name, h.deadline, pr.name, h.recheck_date, h.state, h.closed_date,
                      h.is_overdue
                 FROM safety_hazard h
                 JOIN res_company c ON c.id = h.company_id
            LEFT JOIN res_users uf ON uf.id = h.found_by_id
            LEFT JOIN res_partner pf ON pf.id = uf.partner_id
            LEFT JOIN res_users uo ON uo.id = h.owner_id
            LEFT JOIN res_partner po ON po.id = uo.partner_id
            LEFT JOIN res_users ur ON ur.id = h.rechecker_id
            LEFT JOIN res_partner pr ON pr.id = ur.partner_id
                WHERE h.id IN %s
             ORDER BY h.found_date, h.id""",
            query.subselect(),
        )

    def generate_xlsx_report(self, workbook, data, objs):
        if not data or not data.get("company_id"):
            raise UserError(self.env._("Choose a school and a period to export the ledger."))
        company = self.env["res.company"].browse(data["company_id"])
        date_from = fields.Date.to_date(data["date_from"])
        date_to = fields.Date.to_date(data["date_to"])
        sql = self._ledger_query(company.id, date_from, date_to)
        sheet = workbook.add_worksheet(self.env._("Hazard Ledger"))
        bold = workbook.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True})
        title = workbook.add_format({"bold": True, "font_size": 14})
        date_fmt = workbook.add_format({"num_format": "yyyy-mm-dd"})
        money = workbook.add_format({"num_format": "#,##0.00"})
        columns = self._ledger_columns()
        sheet.write(0, 0, self.env._(
            "Hazard ledger of %(school)s, %(start)s to %(end)s",
            school=company.sudo().name, start=date_from, end=date_to,
        ), title)
        for col, (label, width) in enumerate(columns):
            sheet.set_column(col, col, width)
            sheet.write(2, col, label, bold)
        labels = {f: self._selection_labels(f) for f in ("category", "level", "source", "state")}
        yes, no = self.env._("Yes"), self.env._("No")
        row = 3
        # a named (server-side) cursor of the same transaction streams the rows in chunks
        # instead of loading the whole ledger into memory
        cursor = self.env.cr._obj.connection.cursor("safety_hazard_ledger")
        try:
            cursor.itersize = CHUNK
            cursor.execute(sql.code, sql.params)
            while True:
                chunk = cursor.fetchmany(CHUNK)
                if not chunk:
                    break
                for rec in chunk:
                    self._write_row(sheet, row, rec, labels, date_fmt, money, yes, no)
                    row += 1
        finally:
            cursor.close()
        _logger.info("Hazard ledger of company %s: %s rows written", company.id, row - 3)
        sheet.freeze_panes(3, 1)

    @staticmethod
    def _write_row(sheet, row, rec, labels, date_fmt, money, yes, no):
        (name, school, found, location, category, level, source, description, found_by, measure,
         est, actual, owner, deadline, rechecker, recheck, state, closed, overdue) = rec
        sheet.write_string(row, 0, name or "")
        sheet.write_string(row, 1, school or "")
        if found:
            sheet.write_datetime(row, 2, found, date_fmt)
        sheet.write_string(row, 3, location or "")
        sheet.write_string(row, 4, labels["category"].get(category, category or ""))
        sheet.write_string(row, 5, labels["level"].get(level, level or ""))
        sheet.write_string(row, 6, labels["source"].get(source, source or ""))
        sheet.write_string(row, 7, description or "")
        sheet.write_string(row, 8, found_by or "")
        sheet.write_string(row, 9, measure or "")
        sheet.write_number(row, 10, float(est or 0.0), money)
        sheet.write_number(row, 11, float(actual or 0.0), money)
        sheet.write_string(row, 12, owner or "")
        if deadline:
            sheet.write_datetime(row, 13, deadline, date_fmt)
        sheet.write_string(row, 14, rechecker or "")
        if recheck:
            sheet.write_datetime(row, 15, recheck, date_fmt)
        sheet.write_string(row, 16, labels["state"].get(state, state or ""))
        if closed:
            sheet.write_datetime(row, 17, closed, date_fmt)
        sheet.write_string(row, 18, yes if overdue else no)
