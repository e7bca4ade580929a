"""Load spreadsheets of customers into a Capillary loyalty CRM through the Add Customer API."""

from importer._models import Outcome

__all__ = ["Outcome"]
__version__ = "0.1.0"
