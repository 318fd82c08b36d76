"""Translation catalogs, one module per area of the app."""

from funnel_model.locales import (
    clients,
    common,
    compensation,
    data,
    forecast,
    funnels,
    importer,
    moves,
    period,
    presenting,
    rejection,
    report,
)

AREAS = (common, data, importer, funnels, clients, forecast, moves, compensation, rejection, report, period, presenting)
