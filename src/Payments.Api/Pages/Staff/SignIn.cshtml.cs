using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Payments.Api.Infrastructure.Persistence;

namespace Payments.Api.Pages.Staff;

public sealed class SignInModel(SignInManager<StaffUser> signIn, ILogger<SignInModel> log, Shared.StaffText L) : PageModel
{
    [BindProperty] public string? Email { get; set; }
    [BindProperty] public string? Password { get; set; }
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    public string? Message { get; private set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync()
    {
        var result = await signIn.PasswordSignInAsync(Email ?? "", Password ?? "", isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded)
            return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/staff");
        // Never say which of e-mail or password was wrong; never log the password.
        log.LogWarning("Staff sign-in failed for {Email} (locked out: {LockedOut})", Email, result.IsLockedOut);
        Message = result.IsLockedOut
            ? L["Tài khoản tạm bị khóa do đăng nhập sai nhiều lần. Vui lòng thử lại sau 15 phút."]
            : L["Email hoặc mật khẩu không đúng."];
        return Page();
    }
}
