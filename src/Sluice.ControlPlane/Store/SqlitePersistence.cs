using Microsoft.Data.Sqlite;

namespace Sluice.ControlPlane.Store;

/// <summary>
/// The durable half of the store: one row per object, the store-wide resourceVersion, and the watch history (one
/// row per change in a bounded window: the object after it and before it), so that a restarted plane resumes
/// watches and serves past lists as before the restart.
/// WAL mode with <c>synchronous=FULL</c>: every commit fsyncs the WAL, so an acknowledged write
/// survives a process crash and a power loss. (NORMAL would survive a process crash only.)
/// Not thread-safe: the store's group committer makes every write; loading happens before it starts.
/// </summary>
internal sealed class SqlitePersistence : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _upsert;
    private readonly SqliteCommand _delete;
    private readonly SqliteCommand _setVersion;
    private readonly SqliteCommand _addEvent;
    private readonly SqliteCommand _trimEvents;

    public SqlitePersistence(string path)
    {
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString());
        _connection.Open();
        Execute("PRAGMA journal_mode=WAL;");
        Execute("PRAGMA synchronous=FULL;");
        using (var check = _connection.CreateCommand())
        {
            check.CommandText = "PRAGMA quick_check;";
            var result = check.ExecuteScalar() as string;
            if (result != "ok")
            {
                throw new InvalidOperationException($"the store at {path} is damaged: {result}");
            }
        }
        Execute("""
            CREATE TABLE IF NOT EXISTS objects (
                resource TEXT NOT NULL, namespace TEXT NOT NULL, name TEXT NOT NULL,
                rv INTEGER NOT NULL, body TEXT NOT NULL,
                PRIMARY KEY (resource, namespace, name));
            CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS events (
                rv INTEGER PRIMARY KEY, resource TEXT NOT NULL, type TEXT NOT NULL, body BLOB NOT NULL, previous BLOB);
            INSERT OR IGNORE INTO meta (key, value) VALUES ('rv', 0);
            """);
        _upsert = Prepare("""
            INSERT INTO objects (resource, namespace, name, rv, body) VALUES ($r, $ns, $n, $rv, $b)
            ON CONFLICT (resource, namespace, name) DO UPDATE SET rv = excluded.rv, body = excluded.body;
            """, "$r", "$ns", "$n", "$rv", "$b");
        _delete = Prepare("DELETE FROM objects WHERE resource = $r AND namespace = $ns AND name = $n;", "$r", "$ns", "$n");
        _setVersion = Prepare("UPDATE meta SET value = $rv WHERE key = 'rv';", "$rv");
        _addEvent = Prepare("INSERT OR REPLACE INTO events (rv, resource, type, body, previous) VALUES ($rv, $r, $t, $b, $p);", "$rv", "$r", "$t", "$b", "$p");
        _trimEvents = Prepare("DELETE FROM events WHERE rv <= $floor;", "$floor");
    }

    /// <summary>One change of the watch history: its object after the change (the last state for DELETED) and before it (null for ADDED).</summary>
    public sealed record EventRow(long ResourceVersion, string Resource, string Type, byte[] Body, byte[]? Previous);

    /// <summary>The watch history after <paramref name="after"/>, oldest first.</summary>
    public List<EventRow> LoadEvents(long after)
    {
        using var select = _connection.CreateCommand();
        select.CommandText = "SELECT rv, resource, type, body, previous FROM events WHERE rv > $after ORDER BY rv;";
        select.Parameters.AddWithValue("$after", after);
        using var reader = select.ExecuteReader();
        var rows = new List<EventRow>();
        while (reader.Read())
        {
            rows.Add(new EventRow(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<byte[]>(3),
                reader.IsDBNull(4) ? null : reader.GetFieldValue<byte[]>(4)));
        }
        return rows;
    }

    public sealed record Row(string Resource, string Namespace, string Name, long ResourceVersion, string Body);

    public (long ResourceVersion, List<Row> Rows) Load()
    {
        using var version = _connection.CreateCommand();
        version.CommandText = "SELECT value FROM meta WHERE key = 'rv';";
        var rv = Convert.ToInt64(version.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        using var select = _connection.CreateCommand();
        select.CommandText = "SELECT resource, namespace, name, rv, body FROM objects ORDER BY rv;";
        using var reader = select.ExecuteReader();
        var rows = new List<Row>();
        while (reader.Read())
        {
            rows.Add(new Row(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3), reader.GetString(4)));
        }
        return (rv, rows);
    }

    /// <summary>
    /// One change for <see cref="WriteBatch"/>: the object's new body, or null to remove it; and its watch event (type,
    /// the object as watchers see it, and the object before the change).
    /// </summary>
    public sealed record Change(string Resource, string Namespace, string Name, long ResourceVersion, string? Body,
        string EventType, byte[] EventBody, byte[]? Previous);

    /// <summary>
    /// Writes a batch of changes (in resourceVersion order) and the last version, in one transaction:
    /// one fsync for the whole batch. Either every change is durable when this returns, or it throws
    /// and none is.
    /// </summary>
    /// <param name="keepEvents">How many changes of watch history to keep (older rows are dropped in the same transaction).</param>
    public void WriteBatch(IReadOnlyList<Change> changes, int keepEvents = 10_000)
    {
        if (changes.Count == 0)
        {
            return;
        }
        using var tx = _connection.BeginTransaction();
        foreach (var change in changes)
        {
            var command = change.Body is null ? _delete : _upsert;
            command.Transaction = tx;
            command.Parameters["$r"].Value = change.Resource;
            command.Parameters["$ns"].Value = change.Namespace;
            command.Parameters["$n"].Value = change.Name;
            if (change.Body is not null)
            {
                command.Parameters["$rv"].Value = change.ResourceVersion;
                command.Parameters["$b"].Value = change.Body;
            }
            command.ExecuteNonQuery();
            _addEvent.Transaction = tx;
            _addEvent.Parameters["$rv"].Value = change.ResourceVersion;
            _addEvent.Parameters["$r"].Value = change.Resource;
            _addEvent.Parameters["$t"].Value = change.EventType;
            _addEvent.Parameters["$b"].Value = change.EventBody;
            _addEvent.Parameters["$p"].Value = (object?)change.Previous ?? DBNull.Value;
            _addEvent.ExecuteNonQuery();
        }
        _trimEvents.Transaction = tx;
        _trimEvents.Parameters["$floor"].Value = changes[^1].ResourceVersion - keepEvents;
        _trimEvents.ExecuteNonQuery();
        _setVersion.Transaction = tx;
        _setVersion.Parameters["$rv"].Value = changes[^1].ResourceVersion;
        _setVersion.ExecuteNonQuery();
        tx.Commit();
    }

    public void Dispose()
    {
        _upsert.Dispose();
        _delete.Dispose();
        _setVersion.Dispose();
        _addEvent.Dispose();
        _trimEvents.Dispose();
        _connection.Dispose();
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private SqliteCommand Prepare(string sql, params string[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var p in parameters)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = p });
        }
        return command;
    }
}
