// Nothing to load and nothing to do: VS Code's activation time of this extension is what any extension
// activated by the same event gets in that window, before its own code counts.
exports.activate = () => undefined;
