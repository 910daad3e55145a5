//! The help text the UI shows next to the search box (plain text, no markup).

/// How to write a query, for people. Kept in step with the grammar in [`crate::query`].
pub const HELP: &str = "\
Search
  AccessDenied            a word anywhere in the event (any case)
  \"Access Denied\"         a phrase
  user:alice              a field; the value must match the whole field (any case)
  action:Delete*          * is any run of characters, ? is one character
  service:s3              s3 = s3.amazonaws.com
  error:*   -error:*      has a value / has none
  ip:10.0.0.0/8           a CIDR block (IPv6 too: ip:2001:db8::/32)
  requestParameters.bucketName:logs*
                          any nested field of the event (arrays: any element)
  user:\"John Smith\"       quote values with spaces; quoted values have no wildcards

Time (UTC unless a zone is given)
  time:2024-03-01         that day (also 2024-03, 2024-03-01T10, …T10:30, …T10:30:00Z)
  time>=2024-03-01T10:00  from then on (> starts after that minute; < and <= too)
  time:[2024-03-01T10:00 TO 2024-03-01T12:00]   from the start of one to the end of the other
  last:1h                 the last hour of the data (s, m, h, d, w)

Detections (the events the rules matched)
  rule:*CloudTrail*       a rule by id, name or title (* and ? as above)
  level:high              a level: informational, low, medium, high, critical
  level>=medium           that level or more severe (>, <, <= too)
  tactic:persistence      an ATT&CK tactic
  technique:T1562*        an ATT&CK technique

Who is behind the call (through role hops, accounts, SSO and federation)
  origin:alice            the origin: an IAM user, root, SSO user, SAML/web subject, AWS service
  origin:\"\"               calls whose credentials were issued outside the loaded logs
  session:ASIA*           the session's access key
  chain:*Admin*           any hop of the chain: a role name, a session or an ARN

Combine
  a b   a AND b           both (AND is implied)
  a OR b                  either
  NOT a   -a              not
  (a OR b) -c             parentheses group; NOT before AND before OR

Fields
  user (username)  service (source)  action (name)  region  ip  error  key (access key id)
  account  type (identity type)  category  agent (user agent)  readonly  arn  eventtype
  time  last  rule  level  tactic  technique  origin  session  chain  and CloudTrail's own names: eventName, sourceIPAddress, userIdentity.arn, …
  Any other key: $.key:value
";
