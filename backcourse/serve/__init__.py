"""The local servers: JupyterLab and the learner app on 127.0.0.1."""
