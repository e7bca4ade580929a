"""Every corpus layout by name (the order the README's table lists them)."""

from __future__ import annotations

from corpus_layouts_crm import hubspot, hubspot_xlsx
from corpus_layouts_pos import legacy_pos, legacy_pos_xlsx
from corpus_layouts_shop import magento, shopify, woocommerce

LAYOUTS = {
    "shopify": shopify,
    "legacy_pos": legacy_pos,
    "legacy_pos_xlsx": legacy_pos_xlsx,
    "magento": magento,
    "woocommerce": woocommerce,
    "hubspot": hubspot,
    "hubspot_xlsx": hubspot_xlsx,
}
