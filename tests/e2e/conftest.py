from tests.real_infra import run_id, servers  # noqa: F401 - fixtures
