# Parses .eml files with Python's email package (policy default, the
# strict modern parser) and prints what a mail client would show, one
# block per file, for tests/cli/outbox.t to compare exactly. A letter
# shows its channel; a letter to a customer without an e-mail address is
# addressed to a group that names it.
import email
import email.policy
import sys

for path in sys.argv[1:]:
    with open(path, "rb") as f:
        msg = email.message_from_binary_file(f, policy=email.policy.default)
    print("file:", path.rsplit("/", 1)[-1])
    for name in ("From", "To", "Subject", "Date", "Bcc"):
        print(f"{name}: {msg[name]!r}")
    if msg["X-Dun-Channel"] is not None:
        print("channel:", msg["X-Dun-Channel"])
    if msg["To"].addresses:
        to = msg["To"].addresses[0]
        print(f"to display name: {to.display_name!r} address: {to.addr_spec!r}")
    else:
        print(f"to group: {msg['To'].groups[0].display_name!r}, no address")
    print("defects:", [type(d).__name__ for d in msg.defects], "headers:", len(msg.keys()))
    print("message-id ok:", msg["Message-ID"].startswith("<") and "@" in msg["Message-ID"])
    body = msg.get_body(("plain",))
    print("body charset:", body.get_content_charset(), "cte:", body["Content-Transfer-Encoding"])
    print("body first line:", body.get_content().splitlines()[0])
    for part in msg.iter_attachments():
        data = part.get_content()
        print("attachment:", part.get_filename(), part.get_content_type(), "zip" if data[:2] == b"PK" else "not zip")
