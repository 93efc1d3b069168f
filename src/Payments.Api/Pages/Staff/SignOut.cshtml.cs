using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Payments.Api.Infrastructure.Persistence;

namespace Payments.Api.Pages.Staff;

public sealed class SignOutModel(SignInManager<StaffUser> signIn) : PageModel
{
    public IActionResult OnGet() => Redirect("/staff");

    public async Task<IActionResult> OnPostAsync()
    {
        await signIn.SignOutAsync();
        return Redirect("/staff/sign-in");
    }
}
