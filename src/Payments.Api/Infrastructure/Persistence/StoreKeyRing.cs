using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;

namespace Payments.Api.Infrastructure.Persistence;

/// <summary>
/// The data-protection key ring (staff cookies, antiforgery tokens) in the store's <c>DataProtectionKeys</c> table, shared
/// by every node: the table and rows of <c>PersistKeysToDbContext</c>, read and written with two plain statements. As
/// LINQ, reading the ring at start-up was the process's first EF query, and compiling EF's query pipeline for it took
/// ~0.2 s of every start (docs/BENCHMARKS.md, session 16). Data protection calls it synchronously, as it did EF's.
/// </summary>
internal sealed class StoreKeyRing(IServiceScopeFactory scopes, ILogger<StoreKeyRing> log) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements() => OnStore("SELECT \"Xml\" FROM \"DataProtectionKeys\"", command =>
    {
        using var reader = command.ExecuteReader();
        var keys = new List<XElement>();
        while (reader.Read())
        {
            if (reader.IsDBNull(0)) continue;
            try { keys.Add(XElement.Parse(reader.GetString(0))); }
            // As EF's repository: one unreadable row does not take the others down with it.
            catch (System.Xml.XmlException ex) { log.LogWarning(ex, "A data-protection key in the store is not valid XML; it is skipped"); }
        }
        return keys.AsReadOnly();
    });

    public void StoreElement(XElement element, string friendlyName) =>
        OnStore("INSERT INTO \"DataProtectionKeys\" (\"FriendlyName\", \"Xml\") VALUES (@name, @xml)", command =>
        {
            Add(command, "@name", friendlyName);
            Add(command, "@xml", element.ToString(SaveOptions.DisableFormatting));
            return command.ExecuteNonQuery();
        });

    /// <summary>Runs <paramref name="sql"/> on a context's connection of its own scope.</summary>
    private T OnStore<T>(string sql, Func<System.Data.Common.DbCommand, T> run)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PaymentsDbContext>();
        db.Database.OpenConnection();
        try
        {
            using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = sql;
            return run(command);
        }
        finally
        {
            db.Database.CloseConnection();
        }
    }

    private static void Add(System.Data.Common.DbCommand command, string name, string value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
