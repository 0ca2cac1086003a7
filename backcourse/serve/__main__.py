"""``python -m backcourse.serve voila|jupyterlab ...``: a server with loopback-only Host
names and tokens kept out of its log (see :mod:`backcourse.serve.servers`)."""

from backcourse.serve.servers import main

main()
