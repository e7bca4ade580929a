"""Mapping: the YAML mapping, compiled once into a function from a row's cells to a request body.

The API's field rules (what the request model and the compiled mapping check) live here too.
"""
