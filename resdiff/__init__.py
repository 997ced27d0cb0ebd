"""resdiff: track how United Nations resolutions change from version to version and year to year."""

__version__ = "0.1.0"
