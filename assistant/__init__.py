"""selfcheck — 卓越服务自评助手, the service-excellence self-assessment assistant."""

__version__ = "0.1.0"
