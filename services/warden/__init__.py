"""Warden: an open compliance engine for sales and after-sales operations."""
