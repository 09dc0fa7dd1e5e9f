# A recording SMTP server for tests/cli/outbox.t: listens on 127.0.0.1,
# writes its port to argv[2] when ready and each message it accepts to
# argv[1]/N.eml, then runs until killed.
import os
import socket
import sys
import time

from aiosmtpd.controller import Controller


class Recorder:
    def __init__(self, folder):
        self.folder = folder
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        path = os.path.join(self.folder, "%d.eml" % self.count)
        with open(path, "wb") as f:
            f.write(envelope.original_content or envelope.content)
        with open(path + ".rcpt", "w") as f:
            f.write(envelope.mail_from + " -> " + ",".join(envelope.rcpt_tos) + "\n")
        return "250 OK"


probe = socket.socket()
probe.bind(("127.0.0.1", 0))
port = probe.getsockname()[1]
probe.close()
controller = Controller(Recorder(sys.argv[1]), hostname="127.0.0.1", port=port)
controller.start()
with open(sys.argv[2] + ".tmp", "w") as f:
    f.write("%d\n" % port)
os.rename(sys.argv[2] + ".tmp", sys.argv[2])
while True:
    time.sleep(3600)
