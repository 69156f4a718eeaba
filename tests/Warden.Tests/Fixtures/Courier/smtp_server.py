"""Test SMTP server for Warden's courier tests (started by tests/Warden.Tests/Support/SmtpServer.cs).

Runs aiosmtpd on 127.0.0.1:PORT and writes every accepted message as one JSON file into DIR (parsed by
Python's e-mail package, so the tests check what a real mail client would decode). Prints READY once it
listens and stops when its stdin closes, so it never outlives the test process.
"""
import argparse
import asyncio
import email
import email.policy
import json
import logging
import os
import ssl
import sys
import time
import uuid
import warnings

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Store:
    def __init__(self, folder):
        self.folder = folder

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": list(envelope.rcpt_tos),
            # STARTTLS sets session.ssl; implicit TLS shows only on the transport.
            "tls": session.ssl is not None or server.transport.get_extra_info("ssl_object") is not None,
            "auth_user": None,
            "raw": raw.decode("utf-8", "replace"),
            "headers": [],
        }
        if isinstance(session.auth_data, LoginPassword):
            record["auth_user"] = session.auth_data.login.decode("utf-8", "replace")
        try:
            msg = email.message_from_bytes(raw, policy=email.policy.default)
            record["to"] = str(msg["To"] or "")
            record["from"] = str(msg["From"] or "")
            record["subject"] = str(msg["Subject"] or "")
            record["headers"] = [[k, str(v)] for k, v in msg.items()]
            for part in msg.walk():
                if part.is_multipart():
                    continue
                kind = part.get_content_type()
                if kind == "text/plain" and "text" not in record:
                    record["text"] = part.get_content()
                elif kind == "text/html" and "html" not in record:
                    record["html"] = part.get_content()
        except Exception as e:  # keep the raw message; the test will show what failed to parse
            record["parse_error"] = repr(e)
        name = "%020d-%s" % (time.time_ns(), uuid.uuid4().hex)
        tmp = os.path.join(self.folder, name + ".tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(record, f)
        os.rename(tmp, os.path.join(self.folder, name + ".json"))
        return "250 Message accepted for delivery"


def context(cert, key):
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(cert, key)
    return ctx


def main():
    warnings.simplefilter("ignore")
    logging.disable(logging.WARNING)
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--dir", required=True)
    p.add_argument("--starttls", nargs=2)
    p.add_argument("--smtps", nargs=2)
    p.add_argument("--user")
    p.add_argument("--password", default="")
    a = p.parse_args()

    kwargs = {"enable_SMTPUTF8": True}
    if a.starttls:
        kwargs["tls_context"] = context(*a.starttls)
        kwargs["require_starttls"] = True
    if a.smtps:
        kwargs["ssl_context"] = context(*a.smtps)
    if a.user is not None:
        def check(server, session, envelope, mechanism, auth_data):
            ok = (isinstance(auth_data, LoginPassword)
                  and auth_data.login.decode("utf-8") == a.user
                  and auth_data.password.decode("utf-8") == a.password)
            # handled=False lets aiosmtpd send the 535 reply itself.
            return AuthResult(success=True, auth_data=auth_data) if ok else AuthResult(success=False, handled=False)
        kwargs["authenticator"] = check
        kwargs["auth_required"] = True
        # With STARTTLS, AUTH is offered only after TLS (as real servers do); cleartext and implicit-TLS servers
        # offer it at once (aiosmtpd does not count implicit TLS as TLS for this check).
        kwargs["auth_require_tls"] = bool(a.starttls)

    controller = Controller(Store(a.dir), hostname="127.0.0.1", port=a.port, **kwargs)
    controller.start()
    print("READY", flush=True)
    try:
        sys.stdin.read()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
