// Starts `msglint server` (LSP over stdio) for the files msglint reads; diagnostics, quick fixes,
// "fix all" and hover all come from the server.
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const [command, ...args] = vscode.workspace.getConfiguration("msglint").get("command");
  client = new LanguageClient(
    "msglint",
    "msglint",
    { command, args },
    {
      documentSelector: [
        { scheme: "file", language: "yaml" },
        { scheme: "file", language: "properties" },
        { scheme: "file", language: "ini" },
        { scheme: "file", language: "json" },
        { scheme: "file", language: "python" },
        { scheme: "file", language: "java" },
        { scheme: "file", pattern: "**/*.conf" },
      ],
    },
  );
  context.subscriptions.push({ dispose: () => client && client.stop() });
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
