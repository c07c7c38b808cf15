"""gunicorn settings of trainer; gunicorn reads this file when started from the project's folder.

    gunicorn -w 4 -b 127.0.0.1:8000 --access-logfile - 'trainer:create_app()'

Logs keep no personal data (domain/privacy.md): every log record of the server and its workers is
made safe (trainer.core.logs), and the access line is built from safe atoms: the path without
query values and with tokens masked (`/c/***`, `/participants/?q=*`), no referer (it carries other
pages' searches). Access logging stays off unless asked for (`--access-logfile -`), as gunicorn's
default; command-line options override what is set here.
"""

from gunicorn.glogging import Logger, SafeAtoms

from trainer.core.logs import install_log_privacy, private_atom

install_log_privacy()  # in the master; the workers it forks inherit it

wsgi_app = "trainer:create_app()"
# Client, time, request line (path and masked query), status, bytes, duration in seconds.
access_log_format = '%(h)s %(l)s %(t)s "%(r)s" %(s)s %(b)s %(L)ss'


class PrivateAtoms(SafeAtoms):
    """gunicorn's access-log atoms, each made safe when the format reads it."""

    def __getitem__(self, key):
        return private_atom(key, super().__getitem__(key))


class PrivateLogger(Logger):
    """gunicorn's logger with safe access-log atoms."""

    atoms_wrapper_class = PrivateAtoms


logger_class = PrivateLogger
