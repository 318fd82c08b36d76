"""Translation catalogs, one module per area of the app."""

from funnel_model.locales import (
    common,
    compensation,
    data,
    forecast,
    funnels,
    importer,
    presenting,
    rejection,
    report,
)

AREAS = (common, data, importer, funnels, forecast, compensation, rejection, report, presenting)
