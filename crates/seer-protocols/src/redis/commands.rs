//! `req_cmd` and `req_args` from a command's arguments, rendered as Pixie renders them.
//!
//! The command is the first argument upper-cased, or the first two when they name a two-word
//! command (`CONFIG GET`, `CLIENT SETNAME`, …). The remaining arguments become a JSON object keyed by
//! the command's argument names from its Redis syntax (`GET key` → `{"key":"k"}`), with Pixie's
//! rules for which syntax it understands:
//! - `name` (lower-case letters and digits) takes one argument; missing → not understood;
//! - `name [name ...]` takes all the remaining ones as an array; `a b [a b ...]` takes them all as
//!   an array of one-member objects `[{"a":…},{"b":…},…]` (their count must be a multiple of 2);
//! - `[name]` takes one argument if any are left;
//! - anything else (options in capitals, alternatives, hyphenated names) is not understood.
//!
//! Arguments left over are ignored. A command with no syntax, or whose syntax or arguments are not
//! understood, gets a JSON array of its arguments. `SET` (`{"key","value","options":[…]}`, with
//! `EX 10`-style options joined), `EVALSHA` and `SSCAN` have their own forms.
//!
//! Two deliberate differences from Pixie: an unknown command still gets its upper-cased first
//! argument as `req_cmd` (Pixie leaves it empty and puts the name into the arguments array), and
//! passwords of `AUTH` and `HELLO … AUTH` are replaced by `<redacted>`.

use crate::ordered_json::{Object, string_array};

/// What a password is replaced with.
pub(crate) const REDACTED: &str = "<redacted>";

/// Commands with their argument syntax; two-word commands are listed even without a syntax so that
/// their name is recognised.
const SPECS: &[(&str, &[&str])] = &[
    ("APPEND", &["key", "value"]),
    ("AUTH", &["[username]", "password"]),
    ("BITOP", &["operation", "destkey", "key [key ...]"]),
    ("BITPOS", &["key", "bit", "[start]", "[end]"]),
    ("BLPOP", &["key [key ...]", "timeout"]),
    ("BRPOP", &["key [key ...]", "timeout"]),
    ("BRPOPLPUSH", &["source", "destination", "timeout"]),
    ("BZPOPMAX", &["key [key ...]", "timeout"]),
    ("BZPOPMIN", &["key [key ...]", "timeout"]),
    ("DECR", &["key"]),
    ("DECRBY", &["key", "decrement"]),
    ("DEL", &["key [key ...]"]),
    ("DUMP", &["key"]),
    ("ECHO", &["message"]),
    ("EXISTS", &["key [key ...]"]),
    ("EXPIRE", &["key", "seconds"]),
    ("EXPIREAT", &["key", "timestamp"]),
    ("GEOHASH", &["key", "member [member ...]"]),
    ("GEOPOS", &["key", "member [member ...]"]),
    ("GET", &["key"]),
    ("GETBIT", &["key", "offset"]),
    ("GETDEL", &["key"]),
    ("GETRANGE", &["key", "start", "end"]),
    ("GETSET", &["key", "value"]),
    ("HDEL", &["key", "field [field ...]"]),
    ("HEXISTS", &["key", "field"]),
    ("HGET", &["key", "field"]),
    ("HGETALL", &["key"]),
    ("HINCRBY", &["key", "field", "increment"]),
    ("HINCRBYFLOAT", &["key", "field", "increment"]),
    ("HKEYS", &["key"]),
    ("HLEN", &["key"]),
    ("HMGET", &["key", "field [field ...]"]),
    ("HMSET", &["key", "field value [field value ...]"]),
    ("HSET", &["key", "field value [field value ...]"]),
    ("HSETNX", &["key", "field", "value"]),
    ("HSTRLEN", &["key", "field"]),
    ("HVALS", &["key"]),
    ("INCR", &["key"]),
    ("INCRBY", &["key", "increment"]),
    ("INCRBYFLOAT", &["key", "increment"]),
    ("INFO", &["[section]"]),
    ("KEYS", &["pattern"]),
    ("LINDEX", &["key", "index"]),
    ("LLEN", &["key"]),
    ("LPOP", &["key", "[count]"]),
    ("LPUSH", &["key", "element [element ...]"]),
    ("LPUSHX", &["key", "element [element ...]"]),
    ("LRANGE", &["key", "start", "stop"]),
    ("LREM", &["key", "count", "element"]),
    ("LSET", &["key", "index", "element"]),
    ("LTRIM", &["key", "start", "stop"]),
    ("MGET", &["key [key ...]"]),
    ("MOVE", &["key", "db"]),
    ("MSET", &["key value [key value ...]"]),
    ("MSETNX", &["key value [key value ...]"]),
    ("PERSIST", &["key"]),
    ("PEXPIRE", &["key", "milliseconds"]),
    ("PFADD", &["key", "element [element ...]"]),
    ("PFCOUNT", &["key [key ...]"]),
    ("PFMERGE", &["destkey", "sourcekey [sourcekey ...]"]),
    ("PING", &["[message]"]),
    ("PSETEX", &["key", "milliseconds", "value"]),
    ("PSUBSCRIBE", &["pattern [pattern ...]"]),
    ("PSYNC", &["replicationid", "offset"]),
    ("PTTL", &["key"]),
    ("PUBLISH", &["channel", "message"]),
    ("RENAME", &["key", "newkey"]),
    ("RENAMENX", &["key", "newkey"]),
    ("REPLICAOF", &["host", "port"]),
    ("RPOP", &["key", "[count]"]),
    ("RPOPLPUSH", &["source", "destination"]),
    ("RPUSH", &["key", "element [element ...]"]),
    ("RPUSHX", &["key", "element [element ...]"]),
    ("SADD", &["key", "member [member ...]"]),
    ("SCARD", &["key"]),
    ("SDIFF", &["key [key ...]"]),
    ("SDIFFSTORE", &["destination", "key [key ...]"]),
    ("SELECT", &["index"]),
    ("SETBIT", &["key", "offset", "value"]),
    ("SETEX", &["key", "seconds", "value"]),
    ("SETNX", &["key", "value"]),
    ("SETRANGE", &["key", "offset", "value"]),
    ("SINTER", &["key [key ...]"]),
    ("SINTERSTORE", &["destination", "key [key ...]"]),
    ("SISMEMBER", &["key", "member"]),
    ("SLAVEOF", &["host", "port"]),
    ("SLOWLOG", &["subcommand", "[argument]"]),
    ("SMEMBERS", &["key"]),
    ("SMISMEMBER", &["key", "member [member ...]"]),
    ("SMOVE", &["source", "destination", "member"]),
    ("SPOP", &["key", "[count]"]),
    ("SRANDMEMBER", &["key", "[count]"]),
    ("SREM", &["key", "member [member ...]"]),
    ("STRLEN", &["key"]),
    ("SUBSCRIBE", &["channel [channel ...]"]),
    ("SUNION", &["key [key ...]"]),
    ("SUNIONSTORE", &["destination", "key [key ...]"]),
    ("SWAPDB", &["index1", "index2"]),
    ("TOUCH", &["key [key ...]"]),
    ("TTL", &["key"]),
    ("TYPE", &["key"]),
    ("UNLINK", &["key [key ...]"]),
    ("WAIT", &["numreplicas", "timeout"]),
    ("WATCH", &["key [key ...]"]),
    ("XLEN", &["key"]),
    ("ZCARD", &["key"]),
    ("ZCOUNT", &["key", "min", "max"]),
    ("ZDIFFSTORE", &["destination", "numkeys", "key [key ...]"]),
    ("ZINCRBY", &["key", "increment", "member"]),
    ("ZLEXCOUNT", &["key", "min", "max"]),
    ("ZMSCORE", &["key", "member [member ...]"]),
    ("ZPOPMAX", &["key", "[count]"]),
    ("ZPOPMIN", &["key", "[count]"]),
    ("ZRANK", &["key", "member"]),
    ("ZREM", &["key", "member [member ...]"]),
    ("ZREMRANGEBYLEX", &["key", "min", "max"]),
    ("ZREMRANGEBYRANK", &["key", "start", "stop"]),
    ("ZREMRANGEBYSCORE", &["key", "min", "max"]),
    ("ZREVRANK", &["key", "member"]),
    ("ZSCORE", &["key", "member"]),
    // Two-word commands.
    ("ACL CAT", &["[categoryname]"]),
    ("ACL DELUSER", &["username [username ...]"]),
    ("ACL DRYRUN", &["username", "command"]),
    ("ACL GENPASS", &["[bits]"]),
    ("ACL GETUSER", &["username"]),
    ("ACL HELP", &[]),
    ("ACL LIST", &[]),
    ("ACL LOAD", &[]),
    ("ACL LOG", &[]),
    ("ACL SAVE", &[]),
    ("ACL SETUSER", &[]),
    ("ACL USERS", &[]),
    ("ACL WHOAMI", &[]),
    ("CLIENT CACHING", &[]),
    ("CLIENT GETNAME", &[]),
    ("CLIENT GETREDIR", &[]),
    ("CLIENT ID", &[]),
    ("CLIENT INFO", &[]),
    ("CLIENT KILL", &[]),
    ("CLIENT LIST", &[]),
    ("CLIENT NO-EVICT", &[]),
    ("CLIENT NO-TOUCH", &[]),
    ("CLIENT PAUSE", &[]),
    ("CLIENT REPLY", &[]),
    ("CLIENT SETINFO", &[]),
    ("CLIENT SETNAME", &[]),
    ("CLIENT TRACKING", &[]),
    ("CLIENT TRACKINGINFO", &[]),
    ("CLIENT UNBLOCK", &[]),
    ("CLIENT UNPAUSE", &[]),
    ("CLUSTER ADDSLOTS", &["slot [slot ...]"]),
    ("CLUSTER ADDSLOTSRANGE", &[]),
    ("CLUSTER BUMPEPOCH", &[]),
    ("CLUSTER COUNT-FAILURE-REPORTS", &[]),
    ("CLUSTER COUNTKEYSINSLOT", &["slot"]),
    ("CLUSTER DELSLOTS", &["slot [slot ...]"]),
    ("CLUSTER DELSLOTSRANGE", &[]),
    ("CLUSTER FAILOVER", &[]),
    ("CLUSTER FLUSHSLOTS", &[]),
    ("CLUSTER FORGET", &[]),
    ("CLUSTER GETKEYSINSLOT", &["slot", "count"]),
    ("CLUSTER INFO", &[]),
    ("CLUSTER KEYSLOT", &["key"]),
    ("CLUSTER LINKS", &[]),
    ("CLUSTER MEET", &["ip", "port"]),
    ("CLUSTER MYID", &[]),
    ("CLUSTER MYSHARDID", &[]),
    ("CLUSTER NODES", &[]),
    ("CLUSTER REPLICAS", &[]),
    ("CLUSTER REPLICATE", &[]),
    ("CLUSTER RESET", &[]),
    ("CLUSTER SAVECONFIG", &[]),
    ("CLUSTER SET-CONFIG-EPOCH", &[]),
    ("CLUSTER SETSLOT", &[]),
    ("CLUSTER SHARDS", &[]),
    ("CLUSTER SLAVES", &[]),
    ("CLUSTER SLOTS", &[]),
    ("COMMAND COUNT", &[]),
    ("COMMAND DOCS", &[]),
    ("COMMAND GETKEYS", &[]),
    ("COMMAND GETKEYSANDFLAGS", &[]),
    ("COMMAND INFO", &[]),
    ("COMMAND LIST", &[]),
    ("CONFIG GET", &["parameter"]),
    ("CONFIG RESETSTAT", &[]),
    ("CONFIG REWRITE", &[]),
    ("CONFIG SET", &["parameter", "value"]),
    ("DEBUG OBJECT", &["key"]),
    ("DEBUG SEGFAULT", &[]),
    ("FUNCTION DELETE", &[]),
    ("FUNCTION DUMP", &[]),
    ("FUNCTION FLUSH", &[]),
    ("FUNCTION KILL", &[]),
    ("FUNCTION LIST", &[]),
    ("FUNCTION LOAD", &[]),
    ("FUNCTION RESTORE", &[]),
    ("FUNCTION STATS", &[]),
    ("LATENCY DOCTOR", &[]),
    ("LATENCY GRAPH", &["event"]),
    ("LATENCY HELP", &[]),
    ("LATENCY HISTORY", &["event"]),
    ("LATENCY LATEST", &[]),
    ("LATENCY RESET", &[]),
    ("MEMORY DOCTOR", &[]),
    ("MEMORY HELP", &[]),
    ("MEMORY MALLOC-STATS", &[]),
    ("MEMORY PURGE", &[]),
    ("MEMORY STATS", &[]),
    ("MEMORY USAGE", &[]),
    ("MODULE LIST", &[]),
    ("MODULE LOAD", &[]),
    ("MODULE LOADEX", &[]),
    ("MODULE UNLOAD", &["name"]),
    ("REPLCONF ACK", &["offset"]),
    ("SCRIPT DEBUG", &[]),
    ("SCRIPT EXISTS", &["sha1 [sha1 ...]"]),
    ("SCRIPT FLUSH", &[]),
    ("SCRIPT KILL", &[]),
    ("SCRIPT LOAD", &["script"]),
];

/// One understood argument descriptor.
#[derive(Debug, PartialEq, Eq)]
enum Arg<'a> {
    Fixed(&'a str),
    List { name: &'a str, fields: Vec<&'a str> },
    Opt(&'a str),
}

fn lower_alnum(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
}

/// Classifies one descriptor (see the module docs); `None` when not understood.
fn classify(desc: &str) -> Option<Arg<'_>> {
    if lower_alnum(desc) {
        return Some(Arg::Fixed(desc));
    }
    if desc.ends_with(" ...]")
        && let Some((name, _)) = desc.split_once(" [")
    {
        let fields: Vec<&str> = name.split(' ').filter(|f| !f.is_empty()).collect();
        return fields
            .iter()
            .all(|f| lower_alnum(f))
            .then_some(Arg::List { name, fields });
    }
    let inner = desc.strip_prefix('[')?.strip_suffix(']')?;
    lower_alnum(inner).then_some(Arg::Opt(inner))
}

/// Renders `args` by `descs`; `None` when not understood.
fn by_spec(descs: &[&str], args: &[String]) -> Option<String> {
    if descs.is_empty() {
        return None;
    }
    let parsed: Vec<Arg<'_>> = descs.iter().map(|d| classify(d)).collect::<Option<_>>()?;
    let mut o = Object::new();
    let mut rest = args;
    for arg in parsed {
        match arg {
            Arg::Fixed(name) => {
                let (first, tail) = rest.split_first()?;
                o = o.str(name, first);
                rest = tail;
            }
            Arg::List { name, fields } => {
                if rest.is_empty() {
                    return None;
                }
                if let [_] = fields.as_slice() {
                    o = o.raw(name, &string_array(rest));
                } else if rest.len().is_multiple_of(fields.len()) {
                    let objs: Vec<String> = rest
                        .iter()
                        .zip(fields.iter().cycle())
                        .map(|(v, f)| Object::new().str(f, v).finish())
                        .collect();
                    o = o.raw(name, &format!("[{}]", objs.join(",")));
                } else {
                    return None;
                }
                rest = &[];
            }
            Arg::Opt(name) => {
                if let Some((first, tail)) = rest.split_first() {
                    o = o.str(name, first);
                    rest = tail;
                }
            }
        }
    }
    Some(o.finish())
}

/// `SET key value [options…]`: `{"key","value","options":[…]}`, `EX 10`-style options joined.
fn set(args: &[String]) -> Option<String> {
    let [key, value, opts @ ..] = args else { return None };
    let mut options = Vec::new();
    let mut it = opts.iter();
    while let Some(opt) = it.next() {
        if ["EX", "PX", "EXAT", "PXAT"].contains(&opt.to_ascii_uppercase().as_str()) {
            options.push(format!("{opt} {}", it.next()?));
        } else {
            options.push(opt.clone());
        }
    }
    Some(
        Object::new()
            .str("key", key)
            .str("value", value)
            .raw("options", &string_array(&options))
            .finish(),
    )
}

/// `EVALSHA sha1 numkeys k… v…`: the arguments after the first two split in halves.
fn evalsha(args: &[String]) -> Option<String> {
    if args.len() < 4 || !args.len().is_multiple_of(2) {
        return None;
    }
    let (head, rest) = args.split_at(2);
    let (keys, values) = rest.split_at(rest.len() / 2);
    Some(
        Object::new()
            .str("sha1", head.first()?)
            .str("numkeys", head.get(1)?)
            .raw("key", &string_array(keys))
            .raw("value", &string_array(values))
            .finish(),
    )
}

/// `SSCAN key cursor [MATCH pattern] [COUNT count]`.
fn sscan(args: &[String]) -> Option<String> {
    let [key, cursor, opts @ ..] = args else { return None };
    let mut o = Object::new().str("key", key).str("cursor", cursor);
    for pair in opts.chunks(2) {
        let [name, value] = pair else { return None };
        o = match name.to_ascii_uppercase().as_str() {
            "MATCH" => o.str("pattern", value),
            "COUNT" => o.str("count", value),
            _ => return None,
        };
    }
    Some(o.finish())
}

fn spec_of(name: &str) -> Option<&'static [&'static str]> {
    SPECS.iter().find(|(n, _)| *n == name).map(|(_, d)| *d)
}

/// Replaces passwords in `AUTH` and `HELLO … AUTH user pass`.
fn redact(cmd: &str, args: &mut [String]) {
    match cmd {
        "AUTH" => {
            if let Some(last) = args.last_mut() {
                *last = REDACTED.to_string();
            }
        }
        "HELLO" => {
            if let Some(i) = args.iter().position(|a| a.eq_ignore_ascii_case("AUTH"))
                && let Some(pass) = args.get_mut(i + 2)
            {
                *pass = REDACTED.to_string();
            }
        }
        _ => {}
    }
}

/// `(req_cmd, req_args)` for a command given as its arguments (name first).
pub(crate) fn format(args: &[String]) -> (String, String) {
    let Some(first) = args.first() else {
        return (String::new(), "[]".to_string());
    };
    let two = args
        .get(1)
        .map(|second| format!("{first} {second}").to_ascii_uppercase());
    let (cmd, rest) = match two.filter(|t| spec_of(t).is_some()) {
        Some(t) => (t, args.get(2..).unwrap_or_default()),
        None => (first.to_ascii_uppercase(), args.get(1..).unwrap_or_default()),
    };
    let mut rest = rest.to_vec();
    redact(&cmd, &mut rest);
    let special = match cmd.as_str() {
        "SET" => set(&rest),
        "EVALSHA" => evalsha(&rest),
        "SSCAN" => sscan(&rest),
        _ => None,
    };
    let rendered = special
        .or_else(|| by_spec(spec_of(&cmd).unwrap_or_default(), &rest))
        .unwrap_or_else(|| string_array(&rest));
    (cmd, rendered)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(args: &[&str]) -> (String, String) {
        let v: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        format(&v)
    }

    fn pair(cmd: &str, args: &str) -> (String, String) {
        (cmd.to_string(), args.to_string())
    }

    #[test]
    fn renders_arguments_like_pixie() {
        assert_eq!(
            f(&["append", "foo", "bar"]),
            pair("APPEND", r#"{"key":"foo","value":"bar"}"#)
        );
        assert_eq!(
            f(&["acl", "getuser", "user"]),
            pair("ACL GETUSER", r#"{"username":"user"}"#)
        );
        assert_eq!(
            f(&["acl", "deluser", "foo", "bar"]),
            pair("ACL DELUSER", r#"{"username":["foo","bar"]}"#)
        );
        assert_eq!(f(&["ACL", "LOAD"]), pair("ACL LOAD", "[]"));
        assert_eq!(
            f(&["brpoplpush", "src", "dest", "10"]),
            pair("BRPOPLPUSH", r#"{"source":"src","destination":"dest","timeout":"10"}"#)
        );
        assert_eq!(
            f(&["lpush", "foo", "bar0", "bar1"]),
            pair("LPUSH", r#"{"key":"foo","element":["bar0","bar1"]}"#)
        );
        assert_eq!(
            f(&["zpopmax", "foo", "10"]),
            pair("ZPOPMAX", r#"{"key":"foo","count":"10"}"#)
        );
        assert_eq!(f(&["zpopmax", "foo"]), pair("ZPOPMAX", r#"{"key":"foo"}"#));
        assert_eq!(
            f(&["evalsha", "sha", "3", "foo", "bar"]),
            pair(
                "EVALSHA",
                r#"{"sha1":"sha","numkeys":"3","key":["foo"],"value":["bar"]}"#
            )
        );
        assert_eq!(
            f(&["hset", "foo", "val", "3"]),
            pair("HSET", r#"{"key":"foo","field value":[{"field":"val"},{"value":"3"}]}"#)
        );
        assert_eq!(f(&["HSET", "foo", "odd"]), pair("HSET", r#"["foo","odd"]"#));
    }

    #[test]
    fn special_forms_and_fallbacks() {
        assert_eq!(
            f(&["SET", "k", "v", "ex", "10", "NX"]),
            pair("SET", r#"{"key":"k","value":"v","options":["ex 10","NX"]}"#)
        );
        assert_eq!(f(&["SET", "k"]), pair("SET", r#"["k"]"#));
        assert_eq!(
            f(&["SSCAN", "s", "0", "MATCH", "a*", "COUNT", "5"]),
            pair("SSCAN", r#"{"key":"s","cursor":"0","pattern":"a*","count":"5"}"#)
        );
        assert_eq!(f(&["BLPOP", "a", "b", "0"]), pair("BLPOP", r#"["a","b","0"]"#));
        assert_eq!(
            f(&["CONFIG", "GET", "maxmemory"]),
            pair("CONFIG GET", r#"{"parameter":"maxmemory"}"#)
        );
        assert_eq!(f(&["COMMAND", "DOCS"]), pair("COMMAND DOCS", "[]"));
        assert_eq!(f(&["COMMAND"]), pair("COMMAND", "[]"));
        assert_eq!(f(&["GET"]), pair("GET", "[]"));
        assert_eq!(f(&["JSON.SET", "k", "$", "1"]), pair("JSON.SET", r#"["k","$","1"]"#));
        assert_eq!(f(&[]), pair("", "[]"));
    }

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(f(&["AUTH", "secret"]), pair("AUTH", r#"["<redacted>"]"#));
        assert_eq!(
            f(&["AUTH", "alice", "secret"]),
            pair("AUTH", r#"{"username":"alice","password":"<redacted>"}"#)
        );
        assert_eq!(
            f(&["HELLO", "3", "AUTH", "alice", "secret"]),
            pair("HELLO", r#"["3","AUTH","alice","<redacted>"]"#)
        );
    }
}
