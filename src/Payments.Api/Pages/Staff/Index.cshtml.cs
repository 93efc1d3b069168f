using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Payments.Api.Pages.Staff;

/// <summary>Sends each person to their own work.</summary>
public sealed class IndexModel : PageModel
{
    public IActionResult OnGet() =>
        Redirect(User.IsInRole("cashier") ? "/staff/cashier" : User.IsInRole("finance") ? "/staff/finance" : User.IsInRole("admin") ? "/staff/admin" : "/staff/denied");
}
