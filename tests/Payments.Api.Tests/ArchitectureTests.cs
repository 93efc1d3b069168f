using System.Reflection;
using FluentValidation;
using Mediator;

namespace Payments.Api.Tests;

public class ArchitectureTests
{
    private static readonly Assembly Domain = typeof(Domain.Common.Money).Assembly;
    private static readonly Assembly Providers = typeof(Providers.Contract.IPaymentProvider).Assembly;
    private static readonly Assembly Api = typeof(Program).Assembly;

    [Fact]
    public void Domain_knows_no_ef_core_aspnet_or_provider_sdk() =>
        Assert.DoesNotContain(Domain.GetReferencedAssemblies(), a =>
            a.Name!.StartsWith("Microsoft.EntityFrameworkCore") || a.Name.StartsWith("Microsoft.AspNetCore") || a.Name.StartsWith("Stripe")
            || a.Name.StartsWith("Payments."));

    [Fact]
    public void Providers_know_no_ef_core_or_hosting() =>
        Assert.DoesNotContain(Providers.GetReferencedAssemblies(), a =>
            a.Name!.StartsWith("Microsoft.EntityFrameworkCore") || a.Name.StartsWith("Microsoft.AspNetCore") || a.Name == "Payments.Api");

    [Fact]
    public void Every_command_has_a_validator()
    {
        var commands = Api.GetTypes().Where(t => t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ICommand<>)));
        var validated = Api.GetTypes().Where(t => !t.IsAbstract).SelectMany(t => t.GetInterfaces())
            .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IValidator<>)).Select(i => i.GetGenericArguments()[0]).ToHashSet();
        Assert.NotEmpty(commands);
        Assert.All(commands, c => Assert.True(validated.Contains(c), $"{c.Name} has no validator"));
    }

    [Fact]
    public void No_public_setters_on_domain_types() =>
        Assert.Empty(Domain.GetTypes().SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Where(p => p.SetMethod is { IsPublic: true } && !p.SetMethod.ReturnParameter.GetRequiredCustomModifiers().Any(m => m.Name == "IsExternalInit"))
            .Select(p => $"{p.DeclaringType!.Name}.{p.Name}"));

    [Fact]
    public void No_floating_point_money_anywhere() =>
        Assert.Empty(new[] { Domain, Providers, Api }.SelectMany(a => a.GetTypes())
            .Where(t => t.Namespace?.StartsWith("Payments") == true)
            .SelectMany(t => t.GetProperties().Where(p => (p.PropertyType == typeof(double) || p.PropertyType == typeof(float))
                && (p.Name.Contains("Amount", StringComparison.OrdinalIgnoreCase) || p.Name.Contains("Money") || p.Name.Contains("Debit") || p.Name.Contains("Credit")))
                .Select(p => $"{t.Name}.{p.Name}")));
}
