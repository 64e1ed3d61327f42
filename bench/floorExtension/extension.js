// What every extension does and no more: it loads VS Code's API (the extension host makes that object for
// each extension when it first asks) and returns. Its VS Code activation time is what any extension
// activated by the same event gets in that window before its own code counts.
require('vscode');
exports.activate = () => undefined;
