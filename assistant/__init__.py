"""Kindly: an offline voice companion that helps couples get through conflict."""

__version__ = "0.1.0"
