"""Every corpus layout by name, in the order tests/corpus/README.md lists them."""

from __future__ import annotations

from corpus_layouts_crm import hubspot, hubspot_xlsx, klaviyo, mailchimp, salesforce, zoho
from corpus_layouts_more import google_contacts, prestashop
from corpus_layouts_pos import legacy_pos, legacy_pos_xlsx
from corpus_layouts_shop import lightspeed, magento, shopify, square, woocommerce

LAYOUTS = {
    "shopify": shopify,
    "legacy_pos": legacy_pos,
    "legacy_pos_xlsx": legacy_pos_xlsx,
    "magento": magento,
    "woocommerce": woocommerce,
    "hubspot": hubspot,
    "hubspot_xlsx": hubspot_xlsx,
    "salesforce": salesforce,
    "zoho": zoho,
    "mailchimp": mailchimp,
    "klaviyo": klaviyo,
    "square": square,
    "lightspeed": lightspeed,
    "prestashop": prestashop,
    "google_contacts": google_contacts,
}
