"""The main job (`make demo`) itself, with a small programme: every stage reaches its target."""

import json
import os
import subprocess
import sys

from tools.servers import ROOT, Servers


def test_the_main_job_pairs_plans_completes_and_surveys_a_small_programme(servers: Servers, run_id: str, tmp_path):
    summary = tmp_path / "summary.json"
    env = {**os.environ, "KAFKA_BOOTSTRAP_SERVERS": servers.kafka_bootstrap_servers,
           "MONGODB_URL": servers.mongodb_url, "OIDC_ISSUER_URL": servers.oidc_issuer_url,
           "KAFKA_SECURITY_PROTOCOL": servers.kafka_protocol, "KAFKA_SASL_MECHANISM": servers.kafka_mechanism,
           "BINOME_KAFKA_USERS": ",".join(f"{user}:{password}" for user, password in servers.kafka_users.items())}
    done = subprocess.run([sys.executable, "-m", "tools.demo", "--participants", "8", "--stall-seconds", "240",
                           "--summary", str(summary)], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=1200)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    figures = json.loads(summary.read_text())
    assert figures["ok"] is True
    assert (figures["participants"], figures["pairs"], figures["sessions_completed"]) == (8, 4, 24)
    # Two first-session surveys per pair; 7 of the 8 end-of-programme invitations are answered.
    assert (figures["session_surveys"], figures["end_surveys"]) == (8, 7)
    stages = figures["stages"]
    assert {name: (s["done"], s["total"]) for name, s in stages.items()} == {
        "enrolled": (8, 8), "paired": (4, 4), "planned": (4, 4), "completed": (24, 24), "surveyed": (15, 15)}
    assert all(s["rate_per_s"] > 0 for s in stages.values())
