import net from "node:net";

// A tiny SMTP server for tests: enough of RFC 5321 for nodemailer over a real socket (EHLO,
// optional AUTH PLAIN/LOGIN, MAIL, RCPT, DATA, QUIT; no STARTTLS). `failWith` makes it refuse
// every message with that reply (e.g. "451 4.3.0 try later") to exercise retries.

export interface ReceivedMail {
  from: string;
  to: string[];
  data: string;
}

export interface TestSmtpServer {
  url: string;
  received: ReceivedMail[];
  failWith: string | null;
  close(): Promise<void>;
}

export async function startSmtpServer(options: { failWith?: string | null; delayMs?: number } = {}): Promise<TestSmtpServer> {
  const state: TestSmtpServer = { url: "", received: [], failWith: options.failWith ?? null, close: async () => {} };
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    let buffer = "";
    let inData = false;
    let current: ReceivedMail = { from: "", to: [], data: "" };
    let authStep: "none" | "login-user" | "login-pass" = "none";
    const reply = (line: string) => socket.write(`${line}\r\n`);
    reply("220 test-smtp ready");
    socket.on("data", async (chunk) => {
      buffer += chunk.toString("utf8");
      let index: number;
      while ((index = buffer.indexOf("\r\n")) >= 0) {
        const line = buffer.slice(0, index);
        buffer = buffer.slice(index + 2);
        if (inData) {
          if (line === ".") {
            inData = false;
            if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
            if (state.failWith) reply(state.failWith);
            else {
              state.received.push(current);
              reply("250 2.0.0 queued");
            }
            current = { from: "", to: [], data: "" };
          } else current.data += (line.startsWith("..") ? line.slice(1) : line) + "\r\n";
          continue;
        }
        if (authStep === "login-user") {
          authStep = "login-pass";
          reply("334 UGFzc3dvcmQ6");
          continue;
        }
        if (authStep === "login-pass") {
          authStep = "none";
          reply("235 2.7.0 ok");
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === "EHLO") reply("250-test-smtp\r\n250-AUTH PLAIN LOGIN\r\n250-8BITMIME\r\n250 SMTPUTF8");
        else if (verb === "HELO") reply("250 test-smtp");
        else if (verb === "AUTH") {
          if (/^AUTH LOGIN/i.test(line)) {
            authStep = "login-user";
            reply("334 VXNlcm5hbWU6");
          } else reply("235 2.7.0 ok");
        } else if (verb === "MAIL") {
          current.from = line;
          reply("250 2.1.0 ok");
        } else if (verb === "RCPT") {
          current.to.push(line);
          reply("250 2.1.5 ok");
        } else if (verb === "DATA") {
          inData = true;
          reply("354 go ahead");
        } else if (verb === "RSET" || verb === "NOOP") reply("250 ok");
        else if (verb === "QUIT") {
          reply("221 bye");
          socket.end();
        } else reply("502 5.5.2 not implemented");
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  state.url = `smtp://127.0.0.1:${port}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  return state;
}
