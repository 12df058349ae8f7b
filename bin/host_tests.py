"""bin/test's second Odoo run: the tests of the host modules (the modules outside the suite
that it builds on) on the database bin/test built, with every module loaded.

    python bin/host_tests.py HOST[,HOST...] ODOO-SERVER-ARGS... --test-tags SPEC

Odoo runs a module's at_install tests while it loads that module, before the modules that
depend on it: an update of the host modules (-u) would run theirs without the suite's code
(its overrides of res.users, res.company, hr.employee, ...), which is what they are here
to check. So the registry is loaded first with no test selected, and only then are the
host modules' at_install tests and then their post_install tests run, in that order, as
Odoo's runner runs them (same test classes, same per-test transactions, browser tours on
the server's HTTP port). No module is updated: the database is not changed.

The report ends with Odoo's usual "N failed, N error(s) of N tests when loading database"
line, which bin/test reads.
"""
import logging
import sys
import time

import odoo
from odoo.cli.server import main
from odoo.modules.registry import Registry
from odoo.service import server
from odoo.tools import config

_logger = logging.getLogger("odoo.tests.hosts")
# a tag no test has: nothing runs while the modules load
NO_TEST = "safety_host_tests_nothing_while_loading"


def preload_registries(dbnames):
    """Replaces Odoo's own (odoo.service.server.preload_registries) for this run."""
    from odoo.tests import loader  # once the configuration is read, as Odoo does  # noqa: PLC0415

    rc = 0
    for dbname in dbnames:
        try:
            tags = config["test_tags"]
            config["test_tags"] = NO_TEST
            try:
                registry = Registry.new(dbname)
            finally:
                config["test_tags"] = tags
            for position in ("at_install", "post_install"):
                suite = loader.make_suite(HOSTS, position)
                if suite.has_http_case():
                    with registry.cursor() as cr:
                        odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})["ir.qweb"]._pregenerate_assets_bundles()
                t0, before = time.time(), registry._assertion_report.testsRun
                _logger.info("Starting the %s tests of %s", position, ", ".join(HOSTS))
                registry._assertion_report.update(loader.run_suite(suite))
                _logger.info("%d %s tests in %.2fs", registry._assertion_report.testsRun - before,
                             position, time.time() - t0)
            registry._assertion_report.log_stats()
            if not registry._assertion_report.wasSuccessful():
                rc += 1
        except Exception:
            _logger.critical("Failed to run the host modules' tests on `%s`.", dbname, exc_info=True)
            return -1
    return rc


HOSTS = sys.argv[1].split(",")
server.preload_registries = preload_registries
main(sys.argv[2:])
