# A JupyterHub for a backcourse class on one machine: the config the class test runs
# (tests/test_hub.py), for a trial with a few colleagues or a test, never for students.
# Read docs/jupyterhub.md first.
#
#   CLASS_DIR=/srv/backcourse-class CLASS_PASSWORD=... CLASS_ADMIN_TOKEN=... \
#       jupyterhub -f docs/hub/jupyterhub_config.py
#
# It listens on 127.0.0.1 only (put an HTTPS reverse proxy in front to open it to a few
# colleagues for a trial; never to students). Secrets come from the environment, never the
# command line, where any local user can read them. The environment variables:
#   CLASS_DIR          the hub's state (CLASS_DIR/hub-state) and the students' homes
#                      (CLASS_DIR/homes/NAME); default: the folder jupyterhub starts in
#   CLASS_PASSWORD     the one password everyone logs in with (8 characters or more)
#   CLASS_ADMIN_TOKEN  optional: the API token of the "class-admin" service, which creates
#                      students and starts their servers through the REST API
#   HUB_PORT           the port students open (default 8000); HUB_API_PORT (8081) and
#                      PROXY_API_PORT (8001) are the hub's and the proxy's own, internal
#   CULL_TIMEOUT       idle seconds before a student's server is stopped (default 3600)
#   CULL_EVERY         seconds between the culler's checks (default 300)
#   ACTIVITY_INTERVAL  seconds between a server's "still in use" reports (default 300)
#   KERNEL_CULL_TIMEOUT, KERNEL_CULL_EVERY
#                      optional: override the idle-kernel settings of
#                      docs/hub/jupyter/jupyter_server_config.json (1800 s, every 300 s)
#
# The proxy, configurable-http-proxy (npm), is found on PATH.
#
# NO ISOLATION BETWEEN STUDENTS. SimpleLocalProcessSpawner runs every student's server as
# the hub's own Unix user, so any student's code runs as the hub itself: it can read every
# other student's files and the hub's secrets (the cookie secret in hub-state, and
# CLASS_PASSWORD and CLASS_ADMIN_TOKEN from /proc/<hub pid>/environ), log in as anyone and
# stop the hub. And with one shared password anyone can log in as any student. For a class
# use The Littlest JupyterHub or Zero to JupyterHub with a login per student:
# docs/jupyterhub.md.
import os
import sys
from pathlib import Path

import backcourse

c = get_config()  # noqa: F821 - JupyterHub provides get_config when it loads this file
HERE = Path(__file__).resolve().parent
PASSWORD = os.environ.get("CLASS_PASSWORD", "")
if len(PASSWORD) < 8:  # one clear line, not a traceback
    sys.exit("jupyterhub_config.py: set CLASS_PASSWORD in the environment to the class "
             "password, 8 characters or more")

CLASS_DIR = Path(os.environ.get("CLASS_DIR", os.getcwd())).resolve()
STATE = CLASS_DIR / "hub-state"
STATE.mkdir(mode=0o700, parents=True, exist_ok=True)
BIN = Path(sys.executable).parent  # one environment: jupyterhub, nbgitpuller and backcourse


def _port(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


# --- where it listens: loopback only ------------------------------------------------------
c.JupyterHub.bind_url = f"http://127.0.0.1:{_port('HUB_PORT', 8000)}"
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{_port('HUB_API_PORT', 8081)}"
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{_port('PROXY_API_PORT', 8001)}"
c.ConfigurableHTTPProxy.pid_file = str(STATE / "proxy.pid")
c.JupyterHub.pid_file = str(STATE / "jupyterhub.pid")
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.JupyterHub.cleanup_servers = True  # stopping the hub stops the students' servers
c.JupyterHub.cleanup_proxy = True
# no hub admins: JupyterHub's admin role can open every student's server (admin_access no
# longer limits that); the class-admin service below manages students, if it is set
c.Authenticator.admin_users = set()
c.JupyterHub.cookie_max_age_days = 0.5  # a login lasts 12 hours, not 14 days: shared PCs

# --- who may log in: students the hub already knows, with the shared password ---------------
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = PASSWORD
c.Authenticator.allow_all = False
c.Authenticator.allow_existing_users = True  # students added through the API or admin page

# --- each student's server ------------------------------------------------------------------
c.JupyterHub.spawner_class = "simple"  # SimpleLocalProcessSpawner: see the warning above
c.SimpleLocalProcessSpawner.home_dir_template = str(CLASS_DIR / "homes" / "{username}")
c.Spawner.cmd = [str(BIN / "jupyterhub-singleuser")]
c.Spawner.args = [  # JupyterLab without news or update checks from the web (overrides.json)
    f"--LabApp.app_settings_dir={Path(backcourse.__file__).parent / 'serve' / 'lab_settings'}",
]
for name, setting in (("KERNEL_CULL_TIMEOUT", "cull_idle_timeout"),
                      ("KERNEL_CULL_EVERY", "cull_interval")):
    if os.environ.get(name):
        c.Spawner.args.append(f"--MappingKernelManager.{setting}={int(os.environ[name])}")
if os.geteuid() == 0:
    c.Spawner.args.append("--allow-root")  # else the server exits and never shows up
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = 60
c.Spawner.http_timeout = 60
c.Spawner.environment = {
    # each server reads docs/hub/jupyter/jupyter_server_config.json: no extension look-ups on
    # the web; idle kernels stopped. The journal needs nothing: it goes in the student's HOME
    # (~/.local/share/backcourse), whichever spawner sets HOME
    "JUPYTER_CONFIG_PATH": str(HERE / "jupyter"),
    "PATH": f"{BIN}:/usr/local/bin:/usr/bin:/bin",
    "JUPYTERHUB_ACTIVITY_INTERVAL": os.environ.get("ACTIVITY_INTERVAL", "300"),
}

# --- services: the idle culler, and optionally a token for scripts ----------------------------
c.JupyterHub.services = [{
    "name": "idle-culler",
    "command": [sys.executable, "-m", "jupyterhub_idle_culler",
                f"--timeout={os.environ.get('CULL_TIMEOUT', '3600')}",
                f"--cull-every={os.environ.get('CULL_EVERY', '300')}"],
}]
c.JupyterHub.load_roles = [{
    "name": "idle-culler",
    "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
    "services": ["idle-culler"],
}]
if os.environ.get("CLASS_ADMIN_TOKEN"):
    c.JupyterHub.services.append(
        {"name": "class-admin", "api_token": os.environ["CLASS_ADMIN_TOKEN"]})
    c.JupyterHub.load_roles.append({
        "name": "class-admin",
        # add students, start and stop their servers, make tokens for them; as strong as
        # an administrator: keep the token secret and leave it out when not needed
        "scopes": ["admin:users", "admin:servers", "tokens"],
        "services": ["class-admin"],
    })
