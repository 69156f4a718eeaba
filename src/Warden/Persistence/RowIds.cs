using System.Security.Cryptography;

namespace Warden.Persistence;

/// <summary>
/// Ids of new rows: UUID version 7 (RFC 9562): a millisecond timestamp, a 12-bit sequence and 62 random bits.
/// <para>
/// Why not version 4 as Kratos: every table is keyed and indexed by these ids (a new identity's id is also the
/// identity_id of its credentials, identifiers and addresses), and random keys scatter each insert over the whole
/// B-tree, so a registration touched a cold leaf in each of about a dozen indexes: pages the database had to read
/// back in, on SQLite from a file cache this kind of host pages out after seconds. Time-ordered keys land on the
/// right-most leaves, which stay hot (measured in docs/performance-history.md, "After round 22"). Both databases
/// order them by time: PostgreSQL compares uuid bytes in RFC order, and SQLite stores the canonical text, whose
/// hex digits start with the timestamp.
/// </para>
/// <para>
/// Kratos compat: clients see a UUID as before; nothing on the wire depends on its version. The ids reveal when
/// a row was created, which every object that carries an id already shows in its created_at or issued_at. No id
/// is a secret: a session is held by its token, and whatever a flow lets one do takes a password, a session, a
/// code or a CSRF token besides its id. 62 random bits still make an id impossible to guess.
/// </para>
/// </summary>
internal static class RowIds
{
    // The last id's 48-bit millisecond timestamp and 12-bit sequence (rand_a), as (ms << 12) | sequence.
    private static long _last;

    /// <summary>
    /// A new id, greater than every id this process made before (RFC 9562's method 1: a counter in rand_a, and
    /// the timestamp moves on a millisecond early once 4096 ids were made within one). Guid.CreateVersion7 alone
    /// orders ids only to the millisecond, so rows made in the same one would list in random order.
    /// </summary>
    public static Guid New()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() << 12;
        long last, next;
        do
        {
            last = Volatile.Read(ref _last);
            next = now > last ? now : last + 1;
        }
        while (Interlocked.CompareExchange(ref _last, next, last) != last);
        Span<byte> r = stackalloc byte[8];
        RandomNumberGenerator.Fill(r);
        var ms = next >> 12;
        return new Guid((int)(ms >> 16), (short)(ms & 0xFFFF), (short)(0x7000 | (int)(next & 0xFFF)),
            (byte)((r[0] & 0x3F) | 0x80), r[1], r[2], r[3], r[4], r[5], r[6], r[7]);
    }
}
