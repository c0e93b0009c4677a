/// The consent page of `/authorize`: plain HTML that works without JavaScript, naming the client, the host it sends
/// the user back to and the Make scopes it asks for, with approve and deny. It is the confused-deputy defence of a
/// gateway that signs every client in with one Make client id (mcp.md §6.11): the user sees who asks.
enum ConsentPage {
    static func render(clientName: String, clientID: String, redirectHost: String, scopes: [String],
                       transactionID: String) -> String {
        let items = scopes.map { "<li><code>\(escape($0))</code> — \(escape(describe($0)))</li>" }.joined()
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
            <title>Allow \(escape(clientName)) to use Make?</title>
            <style>
            body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;color:#1b1b1f}
            h1{font-size:1.5rem}.client{font-size:2rem;font-weight:700;color:#5b2dbd}
            ul{padding-left:1.2rem}code{background:#f1effa;padding:0 .2rem}
            .actions{display:flex;gap:1rem;margin-top:2rem}
            button{font-size:1rem;padding:.6rem 1.4rem;border-radius:.4rem;border:1px solid #5b2dbd;cursor:pointer}
            .approve{background:#5b2dbd;color:#fff}.deny{background:#fff;color:#5b2dbd}
            </style></head>
            <body>
            <h1>Allow this application to use your Make account?</h1>
            <p class="client" id="client-name">\(escape(clientName))</p>
            <p>Client id <code>\(escape(clientID))</code> will be sent back to <strong id="redirect-host">\
            \(escape(redirectHost))</strong> once you have signed in at Make.</p>
            <p>It asks for these Make permissions:</p>
            <ul id="scopes">\(items)</ul>
            <form method="post" action="authorize">
            <input type="hidden" name="transaction" value="\(escape(transactionID))">
            <div class="actions">
            <button class="approve" type="submit" name="decision" value="approve" id="approve">Approve and sign in to Make</button>
            <button class="deny" type="submit" name="decision" value="deny" id="deny">Deny</button>
            </div>
            </form>
            </body></html>
            """
    }

    /// A page for a request that cannot be sent back to a client (unknown client, unregistered redirect URI).
    static func error(_ message: String) -> String {
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>Sign-in failed</title></head>
        <body style="font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:3rem auto">
        <h1>This sign-in cannot go on</h1><p id="message">\(escape(message))</p>
        <p>Start again from the application you were connecting.</p></body></html>
        """
    }

    /// HTML-escapes text for element content and quoted attribute values.
    static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// What a Make scope lets the client do, in a few words.
    static func describe(_ scope: String) -> String {
        let parts = scope.split(separator: ":")
        guard parts.count == 2 else { return scope }
        let subject = String(parts[0]).replacing("-", with: " ")
        switch parts[1] {
        case "read": return "see your \(subject)"
        case "write": return "create, change and delete your \(subject)"
        case "run": return "run your \(subject)"
        default: return scope
        }
    }
}
