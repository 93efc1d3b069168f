using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Payments.Benchmarks -- --filter '*'   (see docs/BENCHMARKS.md)
if (args is ["--reconcile", ..])
{
    // End-to-end statement reconciliation on the real store; see docs/BENCHMARKS.md.
    await Payments.Benchmarks.EndToEndReconciliation.RunAsync(args.Length > 1 ? int.Parse(args[1]) : 3);
    return;
}
if (args is ["--prepare-load", var baseUrl, var count, var ipnFile, var orderFile])
{
    // bench/run.sh: orders with started wallet attempts and their signed notifications.
    await Payments.Benchmarks.PrepareLoad.RunAsync(baseUrl, int.Parse(count), ipnFile, orderFile);
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(Payments.Benchmarks.ReceiptRendering).Assembly).Run(args);
