using Sluice.Controllers.Applications;
using Sluice.Controllers.Runtime;

namespace Sluice.Controllers.Tests.Applications;

public class ConfigReadersTests
{
    [Fact]
    public void ReadersOf_AfterRecordAndAChangeOfWhatIsRead_OnlyTheCurrentReadersInThatNamespace()
    {
        var readers = new ConfigReaders();
        var site = new ObjectKey("default", "site");
        var shop = new ObjectKey("default", "shop");
        var other = new ObjectKey("team-b", "site");

        readers.Record(site, [("ConfigMap", "web-config"), ("Secret", "db")]);
        readers.Record(shop, [("ConfigMap", "web-config")]);
        readers.Record(other, [("ConfigMap", "web-config")]);
        readers.Record(site, [("Secret", "db")]);

        readers.ReadersOf("default", "ConfigMap", "web-config").ShouldBe([shop]);
        readers.ReadersOf("default", "Secret", "db").ShouldBe([site]);
        readers.ReadersOf("default", "Secret", "web-config").ShouldBeEmpty();
        readers.ReadersOf("team-b", "ConfigMap", "web-config").ShouldBe([other]);
    }
}
